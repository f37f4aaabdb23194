import java.net.URI;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.hdfs.MiniDFSCluster;

/**
 * scripts/spark-hdfs-check.sh's HDFS, launched as a single-file program on the class path of
 * hadoop-client-minicluster 3.5.0 (scoring-spark's test dependency, in the Maven cache).
 *
 * <ul>
 *   <li>{@code up BASE PORT}: a MiniDFSCluster (NameNode on 127.0.0.1:PORT, one DataNode), until
 *       killed; prints {@code up hdfs://...} once it serves.
 *   <li>{@code get URI SRC DST}: copies SRC from HDFS to the local DST.
 * </ul>
 */
public class MiniDfs {
  public static void main(String[] a) throws Exception {
    if (a[0].equals("up")) {
      Configuration c = new Configuration();
      c.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, a[1]);
      MiniDFSCluster cl =
          new MiniDFSCluster.Builder(c)
              .nameNodePort(Integer.parseInt(a[2]))
              .numDataNodes(1)
              .build();
      cl.waitActive();
      System.out.println("up " + cl.getFileSystem().getUri());
      System.out.flush();
      Thread.sleep(Long.MAX_VALUE);
    }
    FileSystem fs = FileSystem.get(URI.create(a[1]), new Configuration());
    if (a[0].equals("get")) {
      fs.copyToLocalFile(new Path(a[2]), new Path(a[3]));
    } else {
      throw new IllegalArgumentException("up BASE PORT | get URI SRC DST");
    }
  }
}
