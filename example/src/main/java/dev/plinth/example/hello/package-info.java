/** The example's hello counter: the page's visit count and its repository. */
package dev.plinth.example.hello;
