import io.micronaut.json.JsonMapper;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A CPU-bound task body for bench/tasks.sh: what an export handler does with 2000 rows (JSON, CSV,
 * SHA-256 of the file), repeated for SECONDS; prints exports/s. Run once with the default JIT and
 * once with C1 only, it shows what {@code -XX:TieredStopAtLevel=1} costs a worker whose tasks
 * compute, beside what it saves a no-op worker's warm-up.
 *
 * <pre>ExportCpu SECONDS</pre>
 */
public final class ExportCpu {
  public static void main(String[] args) throws Exception {
    JsonMapper json = JsonMapper.createDefault();
    List<Map<String, Object>> rows = new ArrayList<>();
    for (int i = 0; i < 2000; i++) {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("id", i);
      row.put("title", "note number " + i);
      row.put("body", "lorem ipsum dolor sit amet ".repeat(4));
      row.put("score", i * 1.5);
      rows.add(row);
    }
    long start = System.nanoTime();
    long end = start + Long.parseLong(args[0]) * 1_000_000_000L;
    int exports = 0;
    while (System.nanoTime() < end) {
      byte[] file = json.writeValueAsBytes(rows);
      StringBuilder csv = new StringBuilder();
      for (Map<String, Object> row : rows) {
        csv.append(row.get("id")).append(',').append(row.get("title")).append(',');
        csv.append(String.format(Locale.ROOT, "%.2f", (Double) row.get("score"))).append('\n');
      }
      MessageDigest.getInstance("SHA-256").digest(file);
      exports += csv.length() > 0 ? 1 : 0;
    }
    System.out.printf(Locale.ROOT, "%.1f%n", exports / ((System.nanoTime() - start) / 1e9));
  }
}
