package dev.plinth.task;

import dev.plinth.example.notes.Note;
import dev.plinth.example.notes.NoteRepository;
import dev.plinth.task.commands.CommandGroup;
import dev.plinth.task.commands.Progress;
import io.micronaut.context.annotation.Prototype;
import io.micronaut.data.model.Page;
import io.micronaut.data.model.Pageable;
import io.micronaut.data.model.Sort;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** The example domain's maintenance commands: work through every note, with progress. */
@Command(
    name = "notes",
    mixinStandardHelpOptions = true,
    description = "Example domain: maintenance of the notes.",
    subcommands = {NotesCommand.Tidy.class, NotesCommand.Seed.class})
public class NotesCommand extends CommandGroup {

  /** Normalises every title (trimmed, single spaces), a page at a time. */
  @Prototype
  @Command(
      name = "tidy",
      mixinStandardHelpOptions = true,
      description = "Normalise the whitespace of every note's title, with progress.")
  static class Tidy implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(
        names = "--batch",
        defaultValue = "500",
        description = "Rows per page (${DEFAULT-VALUE})")
    int batch;

    @Option(
        names = "--log-every",
        paramLabel = "SECONDS",
        description = "Without a terminal: a progress log line every so many seconds (default 5)")
    Integer logEvery;

    @Inject NoteRepository notes;

    @Override
    public Integer call() {
      long total = notes.count();
      long changed = 0;
      try (Progress progress =
          logEvery == null
              ? Progress.of("notes.tidy", total)
              : Progress.logging("notes.tidy", total, Duration.ofSeconds(logEvery))) {
        Pageable page = Pageable.from(0, batch, Sort.of(Sort.Order.asc("id")));
        while (true) {
          Page<Note> rows = notes.findAll(page);
          List<Note> updates = new ArrayList<>();
          for (Note note : rows.getContent()) {
            String tidy = note.title().strip().replaceAll("\\s+", " ");
            if (!tidy.equals(note.title())) {
              updates.add(
                  new Note(note.id(), tidy, note.body(), note.createdAt(), null, note.author()));
            }
          }
          notes.updateAll(updates);
          changed += updates.size();
          progress.step(rows.getNumberOfElements());
          if (!rows.hasNext()) {
            break;
          }
          page = rows.nextPageable();
        }
      }
      spec.commandLine().getOut().printf("tidied %d of %d note(s)%n", changed, total);
      spec.commandLine().getOut().flush();
      return 0;
    }
  }

  /** Creates demonstration notes (titles with untidy whitespace), for trying {@code tidy}. */
  @Prototype
  @Command(
      name = "seed",
      mixinStandardHelpOptions = true,
      description = "Create demonstration notes.")
  static class Seed implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--count", defaultValue = "1000", description = "How many (${DEFAULT-VALUE})")
    int count;

    @Inject NoteRepository notes;

    @Override
    public Integer call() {
      List<Note> batch = new ArrayList<>();
      for (int i = 1; i <= count; i++) {
        batch.add(Note.draft("  demo   note " + i + " ", "seeded"));
        if (batch.size() == 500 || i == count) {
          notes.saveAll(batch);
          batch.clear();
        }
      }
      spec.commandLine().getOut().printf("created %d note(s)%n", count);
      spec.commandLine().getOut().flush();
      return 0;
    }
  }
}
