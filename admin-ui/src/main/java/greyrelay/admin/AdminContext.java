package greyrelay.admin;

import greyrelay.admin.audit.Auditor;
import greyrelay.admin.web.Pages;
import greyrelay.db.Database;
import java.time.Clock;

/**
 * What every feature may use: the database (to build its store), the clock (read once per request), the auditor (call
 * it after every change), the page builder (for templates) and the settings.
 */
public record AdminContext(Database database, Clock clock, Auditor audit, Pages pages, AdminSettings settings) {}
