package evalh.engine.runtime;

/** Bench-side: the machine's matmul throughput, the denominator of model FLOP utilisation. */
public interface MatmulPeak {
  /**
   * Best of {@code iterations} square n x n matmuls in the compute dtype on this device, FLOP/s.
   */
  double measureMatmulPeak(int n, int iterations);
}
