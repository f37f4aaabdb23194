package evalh.tasks.data;

import com.github.luben.zstd.Zstd;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.compression.CompressionCodecFactory;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.xerial.snappy.Snappy;

/**
 * Parquet page codecs without Hadoop: snappy (snappy-java), zstd (zstd-jni), gzip (JDK), and
 * uncompressed. These are what {@code pyarrow}/HF {@code datasets} write.
 */
public final class ParquetCodecs implements CompressionCodecFactory {

  @Override
  public BytesInputCompressor getCompressor(CompressionCodecName codec) {
    check(codec);
    return new BytesInputCompressor() {
      @Override
      public BytesInput compress(BytesInput bytes) throws IOException {
        byte[] in = bytes.toInputStream().readAllBytes();
        return BytesInput.from(
            switch (codec) {
              case SNAPPY -> Snappy.compress(in);
              case ZSTD -> Zstd.compress(in);
              case GZIP -> gzip(in);
              default -> in;
            });
      }

      @Override
      public CompressionCodecName getCodecName() {
        return codec;
      }

      @Override
      public void release() {}
    };
  }

  @Override
  public BytesInputDecompressor getDecompressor(CompressionCodecName codec) {
    check(codec);
    return new BytesInputDecompressor() {
      @Override
      public BytesInput decompress(BytesInput bytes, int uncompressedSize) throws IOException {
        byte[] in = bytes.toInputStream().readAllBytes();
        byte[] out =
            switch (codec) {
              case SNAPPY -> Snappy.uncompress(in);
              case ZSTD -> Zstd.decompress(in, uncompressedSize);
              case GZIP -> gunzip(in);
              default -> in;
            };
        if (out.length != uncompressedSize) {
          throw new IOException(
              codec + " page: expected " + uncompressedSize + " bytes, got " + out.length);
        }
        return BytesInput.from(out);
      }

      @Override
      public void decompress(ByteBuffer input, int compressedSize, ByteBuffer output, int size)
          throws IOException {
        byte[] in = new byte[compressedSize];
        input.get(in);
        output.put(decompress(BytesInput.from(in), size).toInputStream().readAllBytes());
      }

      @Override
      public void release() {}
    };
  }

  @Override
  public void release() {}

  private static void check(CompressionCodecName codec) {
    switch (codec) {
      case UNCOMPRESSED, SNAPPY, ZSTD, GZIP -> {}
      default ->
          throw new UnsupportedOperationException(
              "parquet codec " + codec + " is not supported (snappy, zstd, gzip, uncompressed)");
    }
  }

  private static byte[] gzip(byte[] in) throws IOException {
    ByteArrayOutputStream bo = new ByteArrayOutputStream();
    try (GZIPOutputStream g = new GZIPOutputStream(bo)) {
      g.write(in);
    }
    return bo.toByteArray();
  }

  private static byte[] gunzip(byte[] in) throws IOException {
    try (GZIPInputStream g = new GZIPInputStream(new ByteArrayInputStream(in))) {
      return g.readAllBytes();
    }
  }
}
