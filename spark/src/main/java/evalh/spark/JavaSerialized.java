package evalh.spark;

import com.esotericsoftware.kryo.DefaultSerializer;
import com.esotericsoftware.kryo.serializers.JavaSerializer;
import java.io.Serializable;

/**
 * Carries a value of a class this module does not own (e.g. decontam's {@code ShortItemScan})
 * through Spark with Java serialization, whatever {@code spark.serializer} is: Kryo's default
 * FieldSerializer cannot rebuild Java records or classes with final fields. evalh's own classes
 * that Spark serializes (RDD elements, task results, shuffled values, broadcasts) carry the same
 * {@link DefaultSerializer} annotation, which Kryo honours for any class not registered otherwise.
 * Issue 16 item 6: with {@code spark.serializer=org.apache.spark.serializer.KryoSerializer} (common
 * in cluster defaults) the job used to fail.
 */
@DefaultSerializer(JavaSerializer.class)
public record JavaSerialized<T extends Serializable>(T value) implements Serializable {}
