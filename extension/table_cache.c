/*
 * table_cache.c: "statement trigger on a table -> relcache invalidation ->
 * every session drops its cache", once for every cache of the extension
 * (see table_cache.h).
 *
 * Invariant: a cache is valid only if none of its tables has changed since
 * its owner last called credit_table_cache_set_valid(); a relcache reset
 * (relid InvalidOid) or a table not found at that time counts as a change.
 */
#include "postgres.h"

#include "catalog/namespace.h"
#include "commands/trigger.h"
#include "fmgr.h"
#include "utils/inval.h"
#include "utils/lsyscache.h"
#include "utils/rel.h"

#include "table_cache.h"

static CreditTableCache *caches = NULL;	/* registered in this backend */
static bool callback_registered = false;

static bool
cache_uses(const CreditTableCache *cache, Oid relid)
{
	int			i;

	if (relid == InvalidOid)
		return true;
	for (i = 0; i < cache->ntables; i++)
		if (cache->relids[i] == relid || cache->relids[i] == InvalidOid)
			return true;
	return false;
}

static void
invalidate_relid(Oid relid)
{
	CreditTableCache *cache;

	for (cache = caches; cache != NULL; cache = cache->next)
		if (cache_uses(cache, relid))
			cache->valid = false;
}

static void
table_cache_relcache_callback(Datum arg, Oid relid)
{
	invalidate_relid(relid);
}

static void
table_cache_register(CreditTableCache *cache)
{
	Assert(cache->ntables > 0 && cache->ntables <= CREDIT_TABLE_CACHE_MAX_TABLES);
	if (!callback_registered)
	{
		CacheRegisterRelcacheCallback(table_cache_relcache_callback, (Datum) 0);
		callback_registered = true;
	}
	cache->valid = false;
	cache->next = caches;
	caches = cache;
	cache->registered = true;
}

bool
credit_table_cache_is_valid(CreditTableCache *cache)
{
	if (!cache->registered)
		table_cache_register(cache);
	return cache->valid;
}

void
credit_table_cache_set_valid(CreditTableCache *cache)
{
	Oid			nsp = get_namespace_oid("credit", false);
	int			i;

	if (!cache->registered)
		table_cache_register(cache);
	for (i = 0; i < cache->ntables; i++)
		cache->relids[i] = get_relname_relid(cache->tables[i], nsp);
	cache->valid = true;
}

/*
 * The statement trigger of every cached table (credit.party_changed(),
 * credit.workflow_machines_changed()): every session drops the caches built
 * from this table; this one at once.
 */
PG_FUNCTION_INFO_V1(credit_table_changed);
Datum
credit_table_changed(PG_FUNCTION_ARGS)
{
	TriggerData *trigdata = (TriggerData *) fcinfo->context;
	Oid			relid;

	if (!CALLED_AS_TRIGGER(fcinfo))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("credit_table_changed: not called as a trigger")));
	relid = RelationGetRelid(trigdata->tg_relation);
	CacheInvalidateRelcacheByRelid(relid);
	invalidate_relid(relid);
	return PointerGetDatum(NULL);
}
