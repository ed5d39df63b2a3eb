package dev.plinth.web.pages;

/** The pages' HTML: text escaping for the values they print, and the document around a body. */
final class Html {
  private Html() {}

  static String escape(String text) {
    StringBuilder out = new StringBuilder(text.length() + 16);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }

  /** A document titled {@code title} (text) around {@code body} (markup), styled and scripted. */
  static String page(String title, String stylesheetUrl, String scriptUrl, String body) {
    return "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>"
        + escape(title)
        + "</title>\n<link rel=\"stylesheet\" href=\""
        + escape(stylesheetUrl)
        + "\">\n<script src=\""
        + escape(scriptUrl)
        + "\" defer></script></head>\n<body>"
        + body
        + "</body></html>\n";
  }

  /** A form posting to {@code action} with the session's CSRF token and {@code fields} (markup). */
  static String form(String action, String csrfToken, String fields) {
    return "<form method=\"post\" action=\""
        + escape(action)
        + "\"><input type=\"hidden\" name=\"csrf\" value=\""
        + escape(csrfToken)
        + "\">"
        + fields
        + "</form>";
  }
}
