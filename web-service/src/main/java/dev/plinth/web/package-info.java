/** The WEB mode's process: its one-line main and the OpenAPI definition. */
package dev.plinth.web;
