/**
 * The admin web panel (Javalin 7). {@link greyrelay.admin.AdminApp#create} returns an unstarted app; the relay embeds
 * it (full panel, with that node's queue) and {@code greyrelay admin} runs it alone against a shared database.
 * Binds 127.0.0.1 unless {@code admin.bind} says otherwise.
 */
package greyrelay.admin;
