package evalh.tasks.registry;

/** A task YAML file is invalid, or a task/group name is unknown. */
public final class RegistryException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public RegistryException(String message) {
    super(message);
  }

  public RegistryException(String message, Throwable cause) {
    super(message, cause);
  }
}
