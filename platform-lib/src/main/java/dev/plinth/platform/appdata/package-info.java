/**
 * Application data ("appdata"): objects by key in S3 or, as the embedded default, a local
 * directory, behind one {@link dev.plinth.platform.appdata.AppdataStore} contract (docs/data.md).
 */
package dev.plinth.platform.appdata;
