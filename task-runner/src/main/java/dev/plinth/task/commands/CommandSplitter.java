package dev.plinth.task.commands;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits {@code APP_TASK_LIST} into commands (on {@code ;}) and each command into arguments (on
 * whitespace), honouring single and double quotes so that a JSON payload can be passed.
 */
final class CommandSplitter {
  private CommandSplitter() {}

  static List<String[]> split(String list) {
    List<String[]> commands = new ArrayList<>();
    List<String> args = new ArrayList<>();
    StringBuilder word = new StringBuilder();
    boolean inWord = false;
    char quote = 0;
    for (int i = 0; i < list.length(); i++) {
      char c = list.charAt(i);
      if (quote != 0) {
        if (c == quote) {
          quote = 0;
        } else {
          word.append(c);
        }
      } else if (c == '\'' || c == '"') {
        quote = c;
        inWord = true;
      } else if (Character.isWhitespace(c) || c == ';') {
        if (inWord) {
          args.add(word.toString());
          word.setLength(0);
          inWord = false;
        }
        if (c == ';' && !args.isEmpty()) {
          commands.add(args.toArray(String[]::new));
          args.clear();
        }
      } else {
        word.append(c);
        inWord = true;
      }
    }
    if (quote != 0) {
      throw new IllegalArgumentException("unterminated quote " + quote);
    }
    if (inWord) {
      args.add(word.toString());
    }
    if (!args.isEmpty()) {
      commands.add(args.toArray(String[]::new));
    }
    return commands;
  }
}
