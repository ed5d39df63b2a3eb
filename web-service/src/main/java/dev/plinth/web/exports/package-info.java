/** The example's export API: start an export task, then fetch its CSV. */
package dev.plinth.web.exports;
