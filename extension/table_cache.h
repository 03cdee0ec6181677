/*
 * table_cache.h: a backend-local cache built from tables of schema credit,
 * dropped in every session when any of those tables changes.
 *
 * Each table carries the statement trigger
 *     AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE FOR EACH STATEMENT
 *     EXECUTE FUNCTION <a function AS 'MODULE_PATHNAME', 'credit_table_changed'>
 * which sends a relcache invalidation for the table; every backend's relcache
 * callback (one, in table_cache.c) then marks the caches built from it
 * invalid, and their owners rebuild them on next use.
 */
#ifndef CREDIT_TABLE_CACHE_H
#define CREDIT_TABLE_CACHE_H

#define CREDIT_TABLE_CACHE_MAX_TABLES 4

typedef struct CreditTableCache
{
	int			ntables;
	const char *tables[CREDIT_TABLE_CACHE_MAX_TABLES];	/* in schema credit */
	/* below: kept by table_cache.c */
	Oid			relids[CREDIT_TABLE_CACHE_MAX_TABLES];	/* when last made valid */
	bool		valid;
	bool		registered;
	struct CreditTableCache *next;
} CreditTableCache;

/* Is the cache valid?  (Registers it on first call.) */
extern bool credit_table_cache_is_valid(CreditTableCache *cache);

/*
 * The cache has been (re)built from the current contents of its tables:
 * valid until one of them changes.
 */
extern void credit_table_cache_set_valid(CreditTableCache *cache);

#endif							/* CREDIT_TABLE_CACHE_H */
