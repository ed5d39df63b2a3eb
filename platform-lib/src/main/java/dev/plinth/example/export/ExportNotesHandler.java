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

  // RFC 4180: quote every field that needs it, double the quotes inside.
  static String csvField(String value) {
    if (value == null) {
      return "";
    }
    boolean quote =
        value.indexOf(',') >= 0
            || value.indexOf('"') >= 0
            || value.indexOf('\n') >= 0
            || value.indexOf('\r') >= 0;
    return quote ? '"' + value.replace("\"", "\"\"") + '"' : value;
  }
}
