package greyrelay.admin.web;

/**
 * One entry of the navigation bar. Entries are shown by {@code order}: dashboard 10, decisions 20, greylist 30,
 * whitelists 40, rate limits 50, verification 60, spamtraps 70, queue 80, cluster 85, audit 90, access 95, settings 100.
 *
 * @param path the page's path; also how a page marks itself active
 */
public record NavItem(String label, String path, int order) {}
