/*
 * table_cache.c: "statement trigger on a table -> relcache invalidation ->
 * every session drops its cache", once for every cache of the extension
 * (see table_cache.h).
 *
 * Invariant: a cache is valid only if none of its tables has changed since
 * its owner last called credit_table_cache_set_valid(); a relcache reset
 * (relid InvalidOid) or a table not found at that time counts as a change.
 * A change another session commits is seen from the next statement on,
 * even inside a transaction: the first check of a cache in a statement
 * reads the pending invalidations (AcceptInvalidationMessages, a shared
 * counter compared when there are none), and the owners refill from the
 * latest committed state (spi_query.c), not from the transaction's
 * snapshot.
 */
#include "postgres.h"

#include "catalog/namespace.h"
#include "commands/trigger.h"
#include "fmgr.h"
#include "access/xact.h"
#include "utils/inval.h"
#include "utils/lsyscache.h"
#include "utils/rel.h"

#include "table_cache.h"

/*
 * Every table a cache of the extension is built from (schema credit): the
 * only tables credit_table_changed() runs on.
 */
static const char *const cached_tables[] = {
	"party", "authorisation", "list_kind", "machine", "machine_state", "machine_transition", "machine_deadline",
	"catalogue_item", "matter", "measure_rule", "measure"
};

/* the statement whose invalidations were last read here */
static TimestampTz checked_statement = 0;

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
	TimestampTz statement = GetCurrentStatementStartTimestamp();

	if (!cache->registered)
		table_cache_register(cache);
	if (statement != checked_statement)
	{
		checked_statement = statement;
		AcceptInvalidationMessages();
	}
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

/* Is relid one of cached_tables? */
static bool
is_cached_table(Oid relid)
{
	Oid			nsp = get_namespace_oid("credit", true);
	int			i;

	if (!OidIsValid(nsp) || get_rel_namespace(relid) != nsp)
		return false;
	for (i = 0; i < lengthof(cached_tables); i++)
		if (get_relname_relid(cached_tables[i], nsp) == relid)
			return true;
	return false;
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
	if (!TRIGGER_FIRED_AFTER(trigdata->tg_event) || !TRIGGER_FIRED_FOR_STATEMENT(trigdata->tg_event))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("trigger \"%s\" on table %s: a cache trigger must fire AFTER ... FOR EACH STATEMENT",
						trigdata->tg_trigger->tgname, RelationGetRelationName(trigdata->tg_relation))));
	relid = RelationGetRelid(trigdata->tg_relation);
	if (!is_cached_table(relid))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("trigger \"%s\" on table %s: no cache of the extension is built from this table",
						trigdata->tg_trigger->tgname, RelationGetRelationName(trigdata->tg_relation)),
				 errdetail("The cache triggers run only on credit.party, credit.authorisation, credit.list_kind, credit.machine, credit.machine_state, credit.machine_transition, credit.machine_deadline, credit.catalogue_item, credit.matter, credit.measure_rule and credit.measure.")));
	CacheInvalidateRelcacheByRelid(relid);
	invalidate_relid(relid);
	return PointerGetDatum(NULL);
}
