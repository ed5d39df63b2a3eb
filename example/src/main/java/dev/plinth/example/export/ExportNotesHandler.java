package dev.plinth.example.export;

import dev.plinth.example.notes.Note;
import dev.plinth.example.notes.NoteRepository;
import dev.plinth.platform.tasks.TaskContext;
import dev.plinth.platform.tasks.TaskDefinition;
import dev.plinth.platform.tasks.TaskHandler;
import jakarta.inject.Singleton;
import java.sql.SQLException;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes every note as CSV into {@link ExportFiles} under the run id. In the shared core rather
 * than in worker-service because WEB runs the same handler in process when there is no broker.
 */
@Singleton
public class ExportNotesHandler implements TaskHandler<ExportTasks.ExportNotes> {
  private static final Logger LOG = LoggerFactory.getLogger(ExportNotesHandler.class);

  private final NoteRepository notes;
  private final ExportFiles files;

  public ExportNotesHandler(NoteRepository notes, ExportFiles files) {
    this.notes = notes;
    this.files = files;
  }

  @Override
  public TaskDefinition<ExportTasks.ExportNotes> definition() {
    return ExportTasks.EXPORT_NOTES;
  }

  @Override
  public Object run(ExportTasks.ExportNotes payload, TaskContext context) throws SQLException {
    StringBuilder csv = new StringBuilder("id,title,body,created_at\r\n");
    int rows = 0;
    for (Note note : notes.findAll()) {
      csv.append(note.id())
          .append(',')
          .append(csvField(note.title()))
          .append(',')
          .append(csvField(note.body()))
          .append(',')
          .append(note.createdAt())
          .append("\r\n");
      rows++;
    }
    files.save(context.taskId(), "text/csv", csv.toString());
    LOG.atInfo().addKeyValue("rows", rows).log("notes exported");
    return Map.of("rows", rows);
  }

  /**
   * RFC 4180: quote every field that needs it, double the quotes inside. A field a spreadsheet
   * would take for a formula (it starts with {@code = + - @}, a tab or a carriage return: OWASP's
   * CSV injection) gets a leading {@code '} and is quoted, so it opens as text.
   */
  static String csvField(String value) {
    if (value == null) {
      return "";
    }
    boolean formula = !value.isEmpty() && "=+-@\t\r".indexOf(value.charAt(0)) >= 0;
    String text = formula ? "'" + value : value;
    boolean quote =
        formula
            || text.indexOf(',') >= 0
            || text.indexOf('"') >= 0
            || text.indexOf('\n') >= 0
            || text.indexOf('\r') >= 0;
    return quote ? '"' + text.replace("\"", "\"\"") + '"' : text;
  }
}
