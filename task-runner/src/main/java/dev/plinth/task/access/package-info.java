/**
 * TASK's commands that grant access to WEB (docs/commands.md): {@code token} mints a bearer JWT for
 * the API, {@code account} makes and changes the form login's accounts: the seed's {@code
 * createsuperuser}, for each kind of authentication.
 */
package dev.plinth.task.access;
