package greyrelay.admin.web;

import io.javalin.security.RouteRole;

/**
 * Marks on a route for {@link RoleGate}, given as Javalin route roles ({@code r.post(path, handler, RouteAccess.SELF)}).
 * An unmarked route needs nothing: reading (GET, HEAD) is for every role, anything else for admins.
 */
public enum RouteAccess implements RouteRole {
    /**
     * Changes only the caller's own account or session (log out, own password, time display): allowed to a viewer
     * although it is a POST.
     */
    SELF,
    /** Admins only, even for reading (an answer that would show a secret). */
    ADMIN
}
