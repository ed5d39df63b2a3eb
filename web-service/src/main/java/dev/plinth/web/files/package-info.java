/** The example's files API: uploads and downloads streamed to and from appdata. */
package dev.plinth.web.files;
