/*
 * chain.c: the hash-chained change log (credit.change_log, 88_audit.sql).
 *
 * Each chained table (a row of credit.chain_table) has the row trigger
 * credit.chain_log_change() AFTER INSERT OR UPDATE OR DELETE.  The trigger
 * takes the changed row's key (its primary key columns, as text) and the
 * SHA-256 of its canonical form (chain_row_digest below) and keeps them in
 * backend memory; entries of a subtransaction that aborts are dropped.
 * Just before the transaction commits (XACT_EVENT_PRE_COMMIT) the entries
 * are appended to credit.change_log under a transaction-level advisory lock
 * (CHAIN_LOCK_KEY1, CHAIN_LOCK_KEY2): the head (last seq and hash) is read
 * in a fresh snapshot after the lock is granted, each entry gets the next
 * seq and hash = SHA-256(previous hash || canonical entry), and the lock is
 * released when the commit is visible.  So concurrent writers make one
 * chain, and a writer holds the lock only while it commits.  A transaction
 * that changed chained tables cannot be prepared (two-phase commit).
 *
 * What a commit pays for (bench/audit.sh): while the log is as the
 * extension made it (change_log_as_made), the append reads the head by a
 * backward scan of the primary key and writes the rows and their index
 * entries itself, as COPY does, without an SPI INSERT (whose executor
 * parsed and planned the log's eight CHECK constraints again at every
 * commit); the entries meet those constraints by construction.  When a DBA
 * has added a trigger or a constraint to the log, or during a restore, the
 * append goes through SPI so that they apply.  Each chained table's
 * ChainRel (its columns in name order, their output functions, its key) is
 * kept for the session until a relcache invalidation of the table.
 *
 * Canonical forms (docs/audit.md, "What is hashed"): a field is
 * <byte length> 0x1F <bytes> 0x1E.  A row is, for each column in the byte
 * order of the column names and not null, the field of its name then the
 * field of its value as text, written as PostgreSQL writes it with
 * DateStyle ISO, TimeZone UTC, extra_float_digits 1, bytea_output hex and
 * regclass schema-qualified, whatever the session says.  A column of a type
 * whose text depends on other settings (an array or range of dates,
 * intervals, ...) is refused.  An entry is the fields seq, logged_at (UTC,
 * or empty), xact, actor, session_actor, table_name, op, row_key (array
 * text), row_digest (lower-case hex), note (empty for null).
 */
#include "postgres.h"

#include "access/genam.h"
#include "access/htup_details.h"
#include "access/relation.h"
#include "access/table.h"
#include "access/tableam.h"
#include "catalog/namespace.h"
#include "access/xact.h"
#include "catalog/pg_am.h"
#include "catalog/pg_class.h"
#include "catalog/pg_trigger.h"
#include "catalog/pg_index.h"
#include "catalog/pg_type.h"
#include "commands/extension.h"
#include "commands/trigger.h"
#include "common/cryptohash.h"
#include "common/sha2.h"
#include "common/shortest_dec.h"
#include "executor/executor.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "funcapi.h"
#include "lib/stringinfo.h"
#include "miscadmin.h"
#include "replication/logicalworker.h"
#include "storage/lmgr.h"
#include "storage/lock.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/datum.h"
#include "utils/fmgroids.h"
#include "utils/datetime.h"
#include "utils/hsearch.h"
#include "utils/inval.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/rel.h"
#include "utils/snapmgr.h"
#include "utils/syscache.h"
#include "utils/timestamp.h"
#include "utils/typcache.h"
#include "utils/xid8.h"

#include "chain.h"
#include "direct_insert.h"
#include "restore.h"
#include "spi_query.h"

/* pg_advisory_xact_lock(CHAIN_LOCK_KEY1, CHAIN_LOCK_KEY2): 'cred', 'chai' */
#define CHAIN_LOCK_KEY1 0x63726564
#define CHAIN_LOCK_KEY2 0x63686169

#define FIELD_SEP 0x1F
#define RECORD_SEP 0x1E

/* how a column's value becomes text */
typedef enum ValueKind
{
	VK_OUTPUT,					/* the type's output function */
	VK_DATE,
	VK_TIMESTAMP,
	VK_TIMESTAMPTZ,
	VK_REGCLASS,
	VK_BYTEA,
	VK_FLOAT4,
	VK_FLOAT8,
	VK_TEXT,					/* text, varchar, bpchar: their bytes */
	VK_INT2,
	VK_INT4,
	VK_INT8,
	VK_BOOL
} ValueKind;

/* what the trigger and the digest functions need of a relation */
typedef struct ChainRel
{
	Oid			relid;
	int			natts;
	int			ncols;			/* columns hashed (not dropped) */
	int		   *order;			/* attribute index, by name */
	char	  **names;
	ValueKind  *kinds;			/* by attribute index */
	FmgrInfo   *out;			/* by attribute index */
	int			nkeys;
	int		   *keys;			/* attribute index of each primary key column */
	char	   *relname;
} ChainRel;

/* one change waiting for the commit */
typedef struct ChainEntry
{
	SubTransactionId subid;
	char	   *table_name;
	const char *op;
	Datum		key;			/* text[], or 0 */
	bool		has_digest;
	uint8		digest[PG_SHA256_DIGEST_LENGTH];
	char	   *note;
	char	   *actor;
	char	   *session_actor;
	bool		by_extension;	/* written by CREATE/ALTER EXTENSION's script */
} ChainEntry;

static List *pending = NIL;		/* of ChainEntry, TopTransactionContext */
static bool callbacks_registered = false;
static SPIPlanPtr head_plan = NULL;
static SPIPlanPtr insert_plan = NULL;

/* ---------------------------------------------------------------------
 * Canonical forms
 * --------------------------------------------------------------------- */

static void
append_field(StringInfo buf, const char *value, int len)
{
	char		num[12];
	int			n = pg_ltoa(len, num);

	enlargeStringInfo(buf, n + len + 2);
	memcpy(buf->data + buf->len, num, n);
	buf->data[buf->len + n] = FIELD_SEP;
	memcpy(buf->data + buf->len + n + 1, value, len);
	buf->data[buf->len + n + 1 + len] = RECORD_SEP;
	buf->len += n + len + 2;
	buf->data[buf->len] = '\0';
}

static void
append_cstring_field(StringInfo buf, const char *value)
{
	append_field(buf, value ? value : "", value ? (int) strlen(value) : 0);
}

/* a type whose text form depends on a setting */
static bool
setting_dependent(Oid type)
{
	switch (type)
	{
		case DATEOID:
		case TIMESTAMPOID:
		case TIMESTAMPTZOID:
		case INTERVALOID:
		case TIMEOID:
		case TIMETZOID:
		case FLOAT4OID:
		case FLOAT8OID:
		case BYTEAOID:
		case MONEYOID:
		case REGCLASSOID:
		case REGPROCOID:
		case REGPROCEDUREOID:
		case REGOPEROID:
		case REGOPERATOROID:
		case REGTYPEOID:
		case REGCONFIGOID:
		case REGDICTIONARYOID:
		case REGCOLLATIONOID:
			return true;
		default:
			return false;
	}
}

static ValueKind
value_kind(Form_pg_attribute att, const char *relname)
{
	Oid			base = getBaseType(att->atttypid);
	Oid			elem;

	switch (base)
	{
		case DATEOID:
			return VK_DATE;
		case TIMESTAMPOID:
			return VK_TIMESTAMP;
		case TIMESTAMPTZOID:
			return VK_TIMESTAMPTZ;
		case REGCLASSOID:
			return VK_REGCLASS;
		case BYTEAOID:
			return VK_BYTEA;
		case FLOAT4OID:
			return VK_FLOAT4;
		case FLOAT8OID:
			return VK_FLOAT8;
		case TEXTOID:
		case VARCHAROID:
		case BPCHAROID:
			return VK_TEXT;
		case INT2OID:
			return VK_INT2;
		case INT4OID:
			return VK_INT4;
		case INT8OID:
			return VK_INT8;
		case BOOLOID:
			return VK_BOOL;
		default:
			break;
	}
	elem = get_element_type(base);
	if (OidIsValid(elem))
		elem = getBaseType(elem);
	else if (type_is_rowtype(base))
		elem = InvalidOid;		/* refused below */
	else if (get_typtype(base) == TYPTYPE_RANGE)
		elem = getBaseType(get_range_subtype(base));
	else if (!setting_dependent(base))
		return VK_OUTPUT;
	else
		elem = base;
	if (OidIsValid(elem) && !setting_dependent(elem) && !type_is_rowtype(elem)
		&& get_typtype(elem) != TYPTYPE_RANGE && !OidIsValid(get_element_type(elem)))
		return VK_OUTPUT;
	ereport(ERROR,
			(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
			 errmsg("column \"%s\" of table \"%s\" has no canonical text form for the change log",
					NameStr(att->attname), relname),
			 errdetail("The text of type %s depends on the session's settings.",
					   format_type_be(att->atttypid)),
			 errhint("Chain only tables whose columns are scalars, or arrays of text-like types.")));
	return VK_OUTPUT;			/* keep the compiler quiet */
}

static int
compare_names(const void *a, const void *b, void *arg)
{
	char	  **names = (char **) arg;

	return strcmp(names[*(const int *) a], names[*(const int *) b]);
}

/* ChainRel of rel, in cxt */
static ChainRel *
chain_rel_build(Relation rel, MemoryContext cxt)
{
	TupleDesc	desc = RelationGetDescr(rel);
	MemoryContext old = MemoryContextSwitchTo(cxt);
	ChainRel   *info = palloc0(sizeof(ChainRel));
	char	  **byatt = palloc0(sizeof(char *) * desc->natts);
	Oid			pk;
	HeapTuple	idx;
	Form_pg_index index;

	info->relid = RelationGetRelid(rel);
	info->relname = pstrdup(RelationGetRelationName(rel));
	info->natts = desc->natts;
	info->order = palloc(sizeof(int) * desc->natts);
	info->kinds = palloc0(sizeof(ValueKind) * desc->natts);
	info->out = palloc0(sizeof(FmgrInfo) * desc->natts);
	for (int i = 0; i < desc->natts; i++)
	{
		Form_pg_attribute att = TupleDescAttr(desc, i);
		Oid			outfunc;
		bool		varlena;

		if (att->attisdropped)
			continue;
		byatt[i] = pstrdup(NameStr(att->attname));
		info->order[info->ncols++] = i;
		info->kinds[i] = value_kind(att, info->relname);
		getTypeOutputInfo(att->atttypid, &outfunc, &varlena);
		fmgr_info_cxt(outfunc, &info->out[i], cxt);
	}
	qsort_arg(info->order, info->ncols, sizeof(int), compare_names, byatt);
	info->names = byatt;

	pk = RelationGetPrimaryKeyIndex(rel);
	if (!OidIsValid(pk))
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("table \"%s\" has no primary key", info->relname),
				 errhint("Only a table with a primary key can be chained: the log names each row by its key.")));
	idx = SearchSysCache1(INDEXRELID, ObjectIdGetDatum(pk));
	if (!HeapTupleIsValid(idx))
		elog(ERROR, "cache lookup failed for index %u", pk);
	index = (Form_pg_index) GETSTRUCT(idx);
	info->nkeys = index->indnkeyatts;
	info->keys = palloc(sizeof(int) * info->nkeys);
	for (int k = 0; k < info->nkeys; k++)
		info->keys[k] = index->indkey.values[k] - 1;
	ReleaseSysCache(idx);
	MemoryContextSwitchTo(old);
	return info;
}

/*
 * The ChainRel of each relation, kept for the session in CacheMemoryContext
 * (one memory context each) and built again after a relcache invalidation
 * of the relation (ALTER TABLE, a new index...): building it looks up every
 * column's type and output function, too much for each statement.
 */
typedef struct ChainRelCacheEntry
{
	Oid			relid;			/* the hash key */
	bool		valid;
	MemoryContext cxt;
	ChainRel   *info;
} ChainRelCacheEntry;

static HTAB *chain_rel_cache = NULL;

static void
chain_rel_invalidate(Datum arg, Oid relid)
{
	HASH_SEQ_STATUS status;
	ChainRelCacheEntry *e;

	if (chain_rel_cache == NULL)
		return;
	if (OidIsValid(relid))
	{
		e = (ChainRelCacheEntry *) hash_search(chain_rel_cache, &relid, HASH_FIND, NULL);
		if (e != NULL)
			e->valid = false;
		return;
	}
	hash_seq_init(&status, chain_rel_cache);
	while ((e = (ChainRelCacheEntry *) hash_seq_search(&status)) != NULL)
		e->valid = false;
}

/* the ChainRel of rel (an open relation) */
static ChainRel *
chain_rel(Relation rel)
{
	Oid			relid = RelationGetRelid(rel);
	ChainRelCacheEntry *e;
	bool		found;
	MemoryContext cxt;
	ChainRel   *info;

	if (chain_rel_cache == NULL)
	{
		HASHCTL		ctl;

		ctl.keysize = sizeof(Oid);
		ctl.entrysize = sizeof(ChainRelCacheEntry);
		ctl.hcxt = CacheMemoryContext;
		chain_rel_cache = hash_create("credit chained relations", 32, &ctl,
									  HASH_ELEM | HASH_BLOBS | HASH_CONTEXT);
		CacheRegisterRelcacheCallback(chain_rel_invalidate, (Datum) 0);
	}
	e = (ChainRelCacheEntry *) hash_search(chain_rel_cache, &relid, HASH_ENTER, &found);
	if (!found)
	{
		e->valid = false;
		e->cxt = NULL;
		e->info = NULL;
	}
	if (e->valid && e->info != NULL && e->info->natts == RelationGetDescr(rel)->natts)
		return e->info;

	/* not in use: a ChainRel is used only between two calls of this function */
	if (e->cxt != NULL)
		MemoryContextDelete(e->cxt);
	e->cxt = NULL;
	e->info = NULL;
	/* an invalidation while it is built marks it for the next call */
	e->valid = true;
	/* under the caller's context until built: an error frees it */
	cxt = AllocSetContextCreate(CurrentMemoryContext, "credit chained relation", ALLOCSET_SMALL_SIZES);
	info = chain_rel_build(rel, cxt);
	MemoryContextSetParent(cxt, CacheMemoryContext);
	e->cxt = cxt;
	e->info = info;
	return info;
}

/*
 * The canonical text of one value: a pointer to its bytes (not always
 * terminated) and their number in *len; scratch, of MAXDATELEN + 1 bytes,
 * may hold them.
 */
static const char *
value_chars(ChainRel *info, int att, Datum value, char *scratch, int *len)
{
	struct pg_tm tm;
	fsec_t		fsec;
	const char *s;

	switch (info->kinds[att])
	{
		case VK_TEXT:
			{
				text	   *t = DatumGetTextPP(value);

				*len = VARSIZE_ANY_EXHDR(t);
				return VARDATA_ANY(t);
			}
		case VK_INT2:
			*len = pg_itoa(DatumGetInt16(value), scratch);
			return scratch;
		case VK_INT4:
			*len = pg_ltoa(DatumGetInt32(value), scratch);
			return scratch;
		case VK_INT8:
			*len = pg_lltoa(DatumGetInt64(value), scratch);
			return scratch;
		case VK_BOOL:
			*len = 1;
			return DatumGetBool(value) ? "t" : "f";
		case VK_DATE:
			{
				DateADT		d = DatumGetDateADT(value);

				if (DATE_NOT_FINITE(d))
					EncodeSpecialDate(d, scratch);
				else
				{
					j2date(d + POSTGRES_EPOCH_JDATE, &tm.tm_year, &tm.tm_mon, &tm.tm_mday);
					EncodeDateOnly(&tm, USE_ISO_DATES, scratch);
				}
				s = scratch;
				break;
			}
		case VK_TIMESTAMP:
		case VK_TIMESTAMPTZ:
			{
				Timestamp	ts = DatumGetTimestamp(value);
				bool		tz = info->kinds[att] == VK_TIMESTAMPTZ;

				if (TIMESTAMP_NOT_FINITE(ts))
					EncodeSpecialTimestamp(ts, scratch);
				else if (timestamp2tm(ts, NULL, &tm, &fsec, NULL, NULL) == 0)
				{
					tm.tm_isdst = 0;	/* UTC: the zone is printed, +00 */
					EncodeDateTime(&tm, fsec, tz, 0, tz ? "UTC" : NULL, USE_ISO_DATES, scratch);
				}
				else
					ereport(ERROR,
							(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
							 errmsg("timestamp out of range")));
				s = scratch;
				break;
			}
		case VK_REGCLASS:
			{
				Oid			rel = DatumGetObjectId(value);
				char	   *name = get_rel_name(rel);

				if (name == NULL)
					s = psprintf("%u", rel);
				else
					s = quote_qualified_identifier(get_namespace_name(get_rel_namespace(rel)), name);
				break;
			}
		case VK_BYTEA:
			{
				bytea	   *b = DatumGetByteaPP(value);
				int			blen = VARSIZE_ANY_EXHDR(b);
				char	   *h = palloc(blen * 2 + 3);

				h[0] = '\\';
				h[1] = 'x';
				hex_encode(VARDATA_ANY(b), blen, h + 2);
				h[blen * 2 + 2] = '\0';
				*len = blen * 2 + 2;
				return h;
			}
		case VK_FLOAT4:
			*len = float_to_shortest_decimal_buf(DatumGetFloat4(value), scratch);
			return scratch;
		case VK_FLOAT8:
			*len = double_to_shortest_decimal_buf(DatumGetFloat8(value), scratch);
			return scratch;
		case VK_OUTPUT:
		default:
			s = OutputFunctionCall(&info->out[att], value);
			break;
	}
	*len = (int) strlen(s);
	return s;
}

/* the canonical text of one value, palloc'd */
static char *
value_text(ChainRel *info, int att, Datum value)
{
	char		scratch[MAXDATELEN + 1];
	int			len;
	const char *s = value_chars(info, att, value, scratch, &len);

	return pnstrdup(s, len);
}

/* SHA-256 of the row's canonical form into digest; values and nulls as heap_deform_tuple gives them */
static void
row_digest_values(ChainRel *info, Datum *values, bool *nulls, uint8 *digest)
{
	StringInfoData buf;
	pg_cryptohash_ctx *ctx;
	char		scratch[MAXDATELEN + 1];

	initStringInfo(&buf);
	for (int c = 0; c < info->ncols; c++)
	{
		int			att = info->order[c];
		int			len;
		const char *s;

		if (nulls[att])
			continue;
		append_cstring_field(&buf, info->names[att]);
		s = value_chars(info, att, values[att], scratch, &len);
		append_field(&buf, s, len);
	}
	ctx = pg_cryptohash_create(PG_SHA256);
	if (pg_cryptohash_init(ctx) < 0
		|| pg_cryptohash_update(ctx, (uint8 *) buf.data, buf.len) < 0
		|| pg_cryptohash_final(ctx, digest, PG_SHA256_DIGEST_LENGTH) < 0)
		elog(ERROR, "could not compute the SHA-256 of a row: %s", pg_cryptohash_error(ctx));
	pg_cryptohash_free(ctx);
	pfree(buf.data);
}

/* the row's key, text[] of its primary key columns */
static Datum
row_key_values(ChainRel *info, Datum *values, bool *nulls)
{
	Datum	   *elems = palloc(sizeof(Datum) * info->nkeys);

	for (int k = 0; k < info->nkeys; k++)
	{
		int			att = info->keys[k];

		elems[k] = CStringGetTextDatum(nulls[att] ? "" : value_text(info, att, values[att]));
	}
	return PointerGetDatum(construct_array(elems, info->nkeys, TEXTOID, -1, false, TYPALIGN_INT));
}

/* the tuple's columns, in arrays palloc'd */
static void
deform(TupleDesc desc, HeapTuple tuple, Datum **values, bool **nulls)
{
	*values = palloc(sizeof(Datum) * desc->natts);
	*nulls = palloc(sizeof(bool) * desc->natts);
	heap_deform_tuple(tuple, desc, *values, *nulls);
}

/* SHA-256 of the row's canonical form into digest */
static void
row_digest(ChainRel *info, TupleDesc desc, HeapTuple tuple, uint8 *digest)
{
	Datum	   *values;
	bool	   *nulls;

	deform(desc, tuple, &values, &nulls);
	row_digest_values(info, values, nulls, digest);
	pfree(values);
	pfree(nulls);
}

/* the row's key, text[] of its primary key columns */
static Datum
row_key(ChainRel *info, TupleDesc desc, HeapTuple tuple)
{
	Datum	   *values;
	bool	   *nulls;
	Datum		key;

	deform(desc, tuple, &values, &nulls);
	key = row_key_values(info, values, nulls);
	pfree(values);
	pfree(nulls);
	return key;
}

/* the entry's hash: SHA-256(prev || canonical entry) */
static void
entry_hash(const uint8 *prev, int prevlen, int64 seq, const char *logged_at, const char *xact,
		   const char *actor, const char *session_actor, const char *table_name, const char *op,
		   const char *key, const uint8 *digest, const char *note, uint8 *out)
{
	StringInfoData buf;
	pg_cryptohash_ctx *ctx;
	char		hex[PG_SHA256_DIGEST_LENGTH * 2 + 1];
	char		num[32];

	initStringInfo(&buf);
	snprintf(num, sizeof(num), INT64_FORMAT, seq);
	append_cstring_field(&buf, num);
	append_cstring_field(&buf, logged_at);
	append_cstring_field(&buf, xact);
	append_cstring_field(&buf, actor);
	append_cstring_field(&buf, session_actor);
	append_cstring_field(&buf, table_name);
	append_cstring_field(&buf, op);
	append_cstring_field(&buf, key);
	if (digest)
	{
		hex_encode((const char *) digest, PG_SHA256_DIGEST_LENGTH, hex);
		hex[PG_SHA256_DIGEST_LENGTH * 2] = '\0';
		append_cstring_field(&buf, hex);
	}
	else
		append_cstring_field(&buf, NULL);
	append_cstring_field(&buf, note);
	ctx = pg_cryptohash_create(PG_SHA256);
	if (pg_cryptohash_init(ctx) < 0
		|| pg_cryptohash_update(ctx, prev, prevlen) < 0
		|| pg_cryptohash_update(ctx, (uint8 *) buf.data, buf.len) < 0
		|| pg_cryptohash_final(ctx, out, PG_SHA256_DIGEST_LENGTH) < 0)
		elog(ERROR, "could not compute the SHA-256 of a log entry: %s", pg_cryptohash_error(ctx));
	pg_cryptohash_free(ctx);
	pfree(buf.data);
}

static char *
timestamptz_text(TimestampTz ts)
{
	char		buf[MAXDATELEN + 1];
	struct pg_tm tm;
	fsec_t		fsec;

	if (TIMESTAMP_NOT_FINITE(ts))
		EncodeSpecialTimestamp(ts, buf);
	else if (timestamp2tm(ts, NULL, &tm, &fsec, NULL, NULL) == 0)
	{
		tm.tm_isdst = 0;		/* UTC: the zone is printed, +00 */
		EncodeDateTime(&tm, fsec, true, 0, "UTC", USE_ISO_DATES, buf);
	}
	else
		elog(ERROR, "timestamp out of range");
	return pstrdup(buf);
}

static bytea *
digest_bytea(const uint8 *digest)
{
	bytea	   *b = palloc(VARHDRSZ + PG_SHA256_DIGEST_LENGTH);

	SET_VARSIZE(b, VARHDRSZ + PG_SHA256_DIGEST_LENGTH);
	memcpy(VARDATA(b), digest, PG_SHA256_DIGEST_LENGTH);
	return b;
}

/* ---------------------------------------------------------------------
 * Pending entries and the append at commit
 * --------------------------------------------------------------------- */

static void chain_xact_callback(XactEvent event, void *arg);
static void chain_subxact_callback(SubXactEvent event, SubTransactionId mySubid,
								   SubTransactionId parentSubid, void *arg);

static void
queue_entry(const char *table_name, const char *op, Datum key, const uint8 *digest, const char *note)
{
	MemoryContext old;
	ChainEntry *e;

	if (!callbacks_registered)
	{
		RegisterXactCallback(chain_xact_callback, NULL);
		RegisterSubXactCallback(chain_subxact_callback, NULL);
		callbacks_registered = true;
	}
	old = MemoryContextSwitchTo(TopTransactionContext);
	e = palloc0(sizeof(ChainEntry));
	e->subid = GetCurrentSubTransactionId();
	e->table_name = pstrdup(table_name);
	e->op = op;
	e->key = key != (Datum) 0 ? PointerGetDatum(DatumGetArrayTypePCopy(key)) : (Datum) 0;
	if (digest)
	{
		e->has_digest = true;
		memcpy(e->digest, digest, PG_SHA256_DIGEST_LENGTH);
	}
	e->note = note ? pstrdup(note) : NULL;
	e->by_extension = creating_extension;
	if (!e->by_extension)
	{
		e->actor = GetUserNameFromId(GetUserId(), false);
		e->session_actor = GetUserNameFromId(GetSessionUserId(), false);
	}
	pending = lappend(pending, e);
	MemoryContextSwitchTo(old);
}

static void
chain_subxact_callback(SubXactEvent event, SubTransactionId mySubid,
					   SubTransactionId parentSubid, void *arg)
{
	ListCell   *lc;

	if (event != SUBXACT_EVENT_ABORT_SUB || pending == NIL)
		return;
	/* the entries of the subtransaction and of those begun inside it */
	foreach(lc, pending)
	{
		ChainEntry *e = (ChainEntry *) lfirst(lc);

		if (e->subid >= mySubid)
			pending = foreach_delete_current(pending, lc);
	}
}

static Oid
change_log_owner(Oid *relid)
{
	Oid			rel = get_relname_relid("change_log", get_namespace_oid("credit", false));
	HeapTuple	tup;
	Oid			owner;

	if (!OidIsValid(rel))
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_TABLE),
				 errmsg("relation credit.change_log does not exist"),
				 errhint("Reinstall the extension.")));
	tup = SearchSysCache1(RELOID, ObjectIdGetDatum(rel));
	if (!HeapTupleIsValid(tup))
		elog(ERROR, "cache lookup failed for relation %u", rel);
	owner = ((Form_pg_class) GETSTRUCT(tup))->relowner;
	ReleaseSysCache(tup);
	*relid = rel;
	return owner;
}

static void
chain_lock(void)
{
	LOCKTAG		tag;

	SET_LOCKTAG_ADVISORY(tag, MyDatabaseId, CHAIN_LOCK_KEY1, CHAIN_LOCK_KEY2, 2);
	(void) LockAcquire(&tag, ExclusiveLock, false, false);
}

/* the columns of credit.change_log, in order, and their types */
#define CHANGE_LOG_NATTS 12
#define CHANGE_LOG_CHECKS 8		/* its CHECK constraints (88_audit.sql) */
static const char *const change_log_columns[CHANGE_LOG_NATTS] = {
	"seq", "logged_at", "xact", "actor", "session_actor", "table_name", "op", "row_key",
	"row_digest", "note", "prev_hash", "hash"
};
static const Oid change_log_types[CHANGE_LOG_NATTS] = {
	INT8OID, TIMESTAMPTZOID, XID8OID, TEXTOID, TEXTOID, TEXTOID, TEXTOID, TEXTARRAYOID,
	BYTEAOID, TEXTOID, BYTEAOID, BYTEAOID
};

/*
 * Is the log as the extension made it: these columns, its primary key on
 * seq, its CHECK constraints (which every entry the append builds meets:
 * seq > 0, the op's key and digest, 32-byte hashes; chain_note refuses an
 * entry that would not), and no insert trigger but change_log_restore
 * (whose WHEN, credit.restoring(), is false at a commit)?  Then the append
 * inserts the entries itself (chain_insert_direct); else, and while a
 * restore is running, through SPI, so that whatever a DBA added to the
 * table applies.
 */
static bool
change_log_as_made(Relation rel)
{
	TupleDesc	desc = RelationGetDescr(rel);
	Oid			pk;
	Relation	idx;
	bool		ok;

	if (rel->rd_rel->relkind != RELKIND_RELATION || desc->natts != CHANGE_LOG_NATTS
		|| desc->constr == NULL || desc->constr->num_check != CHANGE_LOG_CHECKS
		|| desc->constr->has_generated_stored)
		return false;
	for (int i = 0; i < CHANGE_LOG_NATTS; i++)
	{
		Form_pg_attribute att = TupleDescAttr(desc, i);

		if (att->attisdropped || att->atttypid != change_log_types[i]
			|| strcmp(NameStr(att->attname), change_log_columns[i]) != 0)
			return false;
	}
	if (rel->trigdesc != NULL)
		for (int i = 0; i < rel->trigdesc->numtriggers; i++)
		{
			Trigger    *t = &rel->trigdesc->triggers[i];

			if (TRIGGER_FOR_INSERT(t->tgtype) && strcmp(t->tgname, "change_log_restore") != 0)
				return false;
		}
	pk = RelationGetPrimaryKeyIndex(rel);
	if (!OidIsValid(pk))
		return false;
	idx = index_open(pk, AccessShareLock);
	ok = idx->rd_index->indnkeyatts == 1 && idx->rd_index->indkey.values[0] == 1
		&& idx->rd_rel->relam == BTREE_AM_OID;
	index_close(idx, AccessShareLock);
	return ok && !credit_restoring_relation(RelationGetRelid(rel));
}

/* the head's hash into prev, or an error naming a head without a valid one */
static void
chain_take_head(int64 seq, bytea *h, bool isnull, uint8 *prev)
{
	if (isnull || VARSIZE_ANY_EXHDR(h) != PG_SHA256_DIGEST_LENGTH)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("the head of credit.change_log (seq %lld) has no valid hash", (long long) seq),
				 errhint("Run credit.verify_chain(), then credit.chain_reanchor() as the DBA.")));
	memcpy(prev, VARDATA_ANY(h), PG_SHA256_DIGEST_LENGTH);
}

/* the head of the log (its last seq and hash) into *seq and prev, as committed now */
static void
chain_head_direct(Relation rel, int64 *seq, uint8 *prev)
{
	Relation	idx = index_open(RelationGetPrimaryKeyIndex(rel), AccessShareLock);
	Snapshot	snapshot = RegisterSnapshot(GetLatestSnapshot());
	IndexScanDesc scan = index_beginscan(rel, idx, snapshot, 0, 0);
	TupleTableSlot *slot = table_slot_create(rel, NULL);

	index_rescan(scan, NULL, 0, NULL, 0);
	if (index_getnext_slot(scan, BackwardScanDirection, slot))
	{
		bool		isnull;
		bytea	   *h;

		*seq = DatumGetInt64(slot_getattr(slot, 1, &isnull));
		h = DatumGetByteaPP(slot_getattr(slot, CHANGE_LOG_NATTS, &isnull));
		chain_take_head(*seq, h, isnull, prev);
	}
	index_endscan(scan);
	ExecDropSingleTupleTableSlot(slot);
	UnregisterSnapshot(snapshot);
	index_close(idx, AccessShareLock);
}

/* the head through SPI (inside SPI_connect) */
static void
chain_head_spi(int64 *seq, uint8 *prev)
{
	Oid			types[2] = {INT8OID, BYTEAOID};
	int			ret;

	if (head_plan == NULL)
	{
		SPIPlanPtr	p = SPI_prepare("SELECT l.seq, l.hash FROM credit.change_log l ORDER BY l.seq DESC LIMIT 1",
									0, NULL);

		if (p == NULL || SPI_keepplan(p) != 0)
			elog(ERROR, "chain: SPI_prepare failed: %s", SPI_result_code_string(SPI_result));
		head_plan = p;
	}
	/* the head, as committed now (whatever the isolation level) */
	ret = SPI_execute_snapshot(head_plan, NULL, NULL, GetLatestSnapshot(), InvalidSnapshot, true, false, 1);
	if (ret != SPI_OK_SELECT)
		elog(ERROR, "chain: reading the head failed: %s", SPI_result_code_string(ret));
	credit_spi_expect("the chain's head", 2, types);
	if (SPI_processed == 1)
	{
		bool		isnull;
		bytea	   *h;

		*seq = DatumGetInt64(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull));
		h = DatumGetByteaPP(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 2, &isnull));
		chain_take_head(*seq, h, isnull, prev);
	}
}

/* one log row through SPI (inside SPI_connect) */
static void
chain_insert_spi(Datum *values, bool *isnull)
{
	char		nulls[CHANGE_LOG_NATTS];
	int			ret;

	if (insert_plan == NULL)
	{
		SPIPlanPtr	p = SPI_prepare("INSERT INTO credit.change_log (seq, logged_at, xact, actor, session_actor, "
									"table_name, op, row_key, row_digest, note, prev_hash, hash) "
									"VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
									CHANGE_LOG_NATTS, (Oid *) change_log_types);

		if (p == NULL || SPI_keepplan(p) != 0)
			elog(ERROR, "chain: SPI_prepare failed: %s", SPI_result_code_string(SPI_result));
		insert_plan = p;
	}
	for (int i = 0; i < CHANGE_LOG_NATTS; i++)
		nulls[i] = isnull[i] ? 'n' : ' ';
	ret = SPI_execute_plan(insert_plan, values, nulls, false, 0);
	if (ret != SPI_OK_INSERT)
		elog(ERROR, "chain: appending to credit.change_log failed: %s", SPI_result_code_string(ret));
}

static FmgrInfo array_out_info;	/* array_out, its type cache kept (TopMemoryContext) */
static bool array_out_ready = false;

static void
chain_append_pending(void)
{
	List	   *entries = pending;
	Oid			relid;
	Oid			owner = change_log_owner(&relid);
	Oid			save_userid;
	int			save_sec;
	int64		seq = 0;
	uint8		prev[PG_SHA256_DIGEST_LENGTH];
	TimestampTz now = GetCurrentTimestamp();
	char	   *now_text = timestamptz_text(now);
	FullTransactionId fxid = GetTopFullTransactionId();
	char		xact_text[32];
	ListCell   *lc;
	Relation	rel;
	bool		direct;
	CreditDirectInsert di;

	pending = NIL;
	memset(prev, 0, sizeof(prev));
	snprintf(xact_text, sizeof(xact_text), UINT64_FORMAT, U64FromFullTransactionId(fxid));
	if (!array_out_ready)
	{
		fmgr_info_cxt(F_ARRAY_OUT, &array_out_info, TopMemoryContext);
		array_out_ready = true;
	}

	/* one writer at a time, until this commit is visible */
	chain_lock();

	PushActiveSnapshot(GetTransactionSnapshot());
	rel = table_open(relid, AccessShareLock);
	direct = change_log_as_made(rel);
	if (direct)
		chain_head_direct(rel, &seq, prev);
	else
	{
		if (SPI_connect() != SPI_OK_CONNECT)
			elog(ERROR, "chain: SPI_connect failed");
		GetUserIdAndSecContext(&save_userid, &save_sec);
		SetUserIdAndSecContext(owner, save_sec | SECURITY_LOCAL_USERID_CHANGE | SECURITY_NOFORCE_RLS);
		chain_head_spi(&seq, prev);
	}

	if (direct)
	{
		/* as an INSERT would: the table's lock for writing, its indexes */
		LockRelationOid(relid, RowExclusiveLock);
		credit_direct_begin(&di, rel);
	}

	foreach(lc, entries)
	{
		ChainEntry *e = (ChainEntry *) lfirst(lc);
		Datum		values[CHANGE_LOG_NATTS];
		bool		nulls[CHANGE_LOG_NATTS];
		uint8		hash[PG_SHA256_DIGEST_LENGTH];
		char	   *key_text = e->key ? OutputFunctionCall(&array_out_info, e->key) : NULL;
		const char *actor = e->by_extension ? "" : e->actor;
		const char *session_actor = e->by_extension ? "" : e->session_actor;

		seq++;
		entry_hash(prev, PG_SHA256_DIGEST_LENGTH, seq, e->by_extension ? NULL : now_text,
				   e->by_extension ? NULL : xact_text, actor, session_actor, e->table_name, e->op,
				   key_text, e->has_digest ? e->digest : NULL, e->note, hash);
		memset(nulls, false, sizeof(nulls));
		values[0] = Int64GetDatum(seq);
		values[1] = TimestampTzGetDatum(now);
		values[2] = FullTransactionIdGetDatum(fxid);
		if (e->by_extension)
		{
			nulls[1] = true;
			nulls[2] = true;
		}
		values[3] = CStringGetTextDatum(actor);
		values[4] = CStringGetTextDatum(session_actor);
		values[5] = CStringGetTextDatum(e->table_name);
		values[6] = CStringGetTextDatum(e->op);
		values[7] = e->key;
		if (!e->key)
			nulls[7] = true;
		if (e->has_digest)
			values[8] = PointerGetDatum(digest_bytea(e->digest));
		else
			nulls[8] = true;
		if (e->note)
			values[9] = CStringGetTextDatum(e->note);
		else
			nulls[9] = true;
		values[10] = PointerGetDatum(digest_bytea(prev));
		values[11] = PointerGetDatum(digest_bytea(hash));
		if (direct)
			credit_direct_insert(&di, values, nulls);
		else
			chain_insert_spi(values, nulls);
		memcpy(prev, hash, PG_SHA256_DIGEST_LENGTH);
	}

	if (direct)
		credit_direct_end(&di);
	else
	{
		SetUserIdAndSecContext(save_userid, save_sec);
		SPI_finish();
	}
	table_close(rel, NoLock);
	PopActiveSnapshot();
}

static void
chain_xact_callback(XactEvent event, void *arg)
{
	switch (event)
	{
		case XACT_EVENT_PRE_COMMIT:
			if (pending != NIL)
				chain_append_pending();
			break;
		case XACT_EVENT_PRE_PREPARE:
			if (pending != NIL)
				ereport(ERROR,
						(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
						 errmsg("cannot prepare a transaction that changed chained tables"),
						 errdetail("Their changes are appended to credit.change_log when the transaction commits."),
						 errhint("Commit the transaction without PREPARE TRANSACTION.")));
			break;
		case XACT_EVENT_COMMIT:
		case XACT_EVENT_ABORT:
		case XACT_EVENT_PREPARE:
		case XACT_EVENT_PARALLEL_COMMIT:
		case XACT_EVENT_PARALLEL_ABORT:
			pending = NIL;		/* its memory goes with the transaction */
			break;
		default:
			break;
	}
}

/* ---------------------------------------------------------------------
 * SQL-callable functions
 * --------------------------------------------------------------------- */

/*
 * Is a change of rel logged, and with what note?  Not while pg_restore puts
 * back rows whose log entries it restores too.  The trigger is ENABLE
 * ALWAYS so that it fires in the logical replication workers (apply and
 * initial copy): rows another platform sends are chained on arrival, noted
 * "replicated".  Anybody else in session_replication_role = replica is
 * behind the triggers, as an ordinary trigger would be: not logged, and
 * found by verify_chain.
 */
static bool
chain_logs(Relation rel, const char **note)
{
	if (credit_restoring_relation(RelationGetRelid(rel)))
		return false;
	if (SessionReplicationRole == SESSION_REPLICATION_ROLE_REPLICA && !IsLogicalWorker())
		return false;
	*note = IsLogicalWorker() ? "replicated" : NULL;
	return true;
}

/* an inserted row (values and nulls of every attribute) queued */
static void
note_insert(ChainRel *info, Datum *values, bool *nulls, const char *note)
{
	uint8		digest[PG_SHA256_DIGEST_LENGTH];

	row_digest_values(info, values, nulls, digest);
	queue_entry(info->relname, "insert", row_key_values(info, values, nulls), digest, note);
}

/*
 * chain.h: a row a caller wrote without the executor (direct_insert.h),
 * into a table whose chain trigger it found enabled: logged as the trigger
 * would have logged it.
 */
void
credit_chain_note_insert(Relation rel, Datum *values, bool *nulls)
{
	const char *note;

	if (chain_logs(rel, &note))
		note_insert(chain_rel(rel), values, nulls, note);
}

/*
 * credit.chain_log_change(): AFTER INSERT OR UPDATE OR DELETE FOR EACH ROW
 * on a chained table.
 */
PG_FUNCTION_INFO_V1(credit_chain_log_change);
Datum
credit_chain_log_change(PG_FUNCTION_ARGS)
{
	TriggerData *td = (TriggerData *) fcinfo->context;
	Relation	rel;
	TupleDesc	desc;
	ChainRel   *info;
	uint8		digest[PG_SHA256_DIGEST_LENGTH];
	const char *note;

	if (!CALLED_AS_TRIGGER(fcinfo) || !TRIGGER_FIRED_AFTER(td->tg_event)
		|| !TRIGGER_FIRED_FOR_ROW(td->tg_event))
		elog(ERROR, "credit.chain_log_change: must fire AFTER ... FOR EACH ROW");
	rel = td->tg_relation;
	if (!chain_logs(rel, &note))
		return PointerGetDatum(NULL);
	desc = RelationGetDescr(rel);
	info = chain_rel(rel);

	if (TRIGGER_FIRED_BY_INSERT(td->tg_event))
	{
		Datum	   *values;
		bool	   *nulls;

		deform(desc, td->tg_trigtuple, &values, &nulls);
		note_insert(info, values, nulls, note);
	}
	else if (TRIGGER_FIRED_BY_DELETE(td->tg_event))
		queue_entry(info->relname, "delete", row_key(info, desc, td->tg_trigtuple), NULL, note);
	else if (TRIGGER_FIRED_BY_UPDATE(td->tg_event))
	{
		Datum	   *values;
		bool	   *nulls;
		Datum		new_key;
		bool		same_key = true;

		deform(desc, td->tg_newtuple, &values, &nulls);
		new_key = row_key_values(info, values, nulls);
		/* the key's columns unchanged in their bytes: the same key; else compare their text */
		for (int k = 0; k < info->nkeys && same_key; k++)
		{
			int			att = info->keys[k];
			Form_pg_attribute a = TupleDescAttr(desc, att);
			bool		old_null;
			Datum		old_value = heap_getattr(td->tg_trigtuple, att + 1, desc, &old_null);

			same_key = old_null == nulls[att]
				&& (old_null || datumIsEqual(old_value, values[att], a->attbyval, a->attlen));
		}
		if (!same_key)
		{
			Datum		old_key = row_key(info, desc, td->tg_trigtuple);

			if (!datumIsEqual(old_key, new_key, false, -1))
				queue_entry(info->relname, "delete", old_key, NULL, note ? "replicated, key changed" : "key changed");
		}
		row_digest_values(info, values, nulls, digest);
		queue_entry(info->relname, "update", new_key, digest, note);
	}
	else
		elog(ERROR, "credit.chain_log_change: must fire on INSERT, UPDATE or DELETE");
	return PointerGetDatum(NULL);
}

static bool
typeOidIsValid(Oid type)
{
	return OidIsValid(type) && type != RECORDOID;
}

/* the relation of a composite argument, its tuple */
static ChainRel *
row_arg(FunctionCallInfo fcinfo, HeapTupleData *tuple, TupleDesc *desc)
{
	Oid			argtype = get_fn_expr_argtype(fcinfo->flinfo, 0);
	Oid			relid = typeOidIsValid(argtype) ? get_typ_typrelid(argtype) : InvalidOid;
	HeapTupleHeader th;
	ChainRel   *info;
	Relation	rel;

	if (OidIsValid(relid) && get_rel_relkind(relid) != RELKIND_RELATION)
		relid = InvalidOid;
	if (!OidIsValid(relid))
		ereport(ERROR,
				(errcode(ERRCODE_DATATYPE_MISMATCH),
				 errmsg("argument must be a row of a table"),
				 errhint("Pass the whole row, as in credit.chain_row_digest(t) FROM credit.record t.")));
	th = PG_GETARG_HEAPTUPLEHEADER(0);
	rel = relation_open(relid, AccessShareLock);
	info = chain_rel(rel);
	*desc = RelationGetDescr(rel);
	if ((*desc)->natts != HeapTupleHeaderGetNatts(th) && HeapTupleHeaderGetNatts(th) > (*desc)->natts)
		elog(ERROR, "chain: the row has more columns than its table");
	tuple->t_len = HeapTupleHeaderGetDatumLength(th);
	ItemPointerSetInvalid(&tuple->t_self);
	tuple->t_tableOid = relid;
	tuple->t_data = th;
	relation_close(rel, AccessShareLock);
	return info;
}

/* credit.chain_row_digest(anyelement) RETURNS bytea: SHA-256 of the row's canonical form */
PG_FUNCTION_INFO_V1(credit_chain_row_digest);
Datum
credit_chain_row_digest(PG_FUNCTION_ARGS)
{
	HeapTupleData tuple;
	TupleDesc	desc;
	ChainRel   *info = row_arg(fcinfo, &tuple, &desc);
	uint8		digest[PG_SHA256_DIGEST_LENGTH];

	row_digest(info, desc, &tuple, digest);
	PG_RETURN_BYTEA_P(digest_bytea(digest));
}

/* credit.chain_row_key(anyelement) RETURNS text[]: the row's primary key, as text */
PG_FUNCTION_INFO_V1(credit_chain_row_key);
Datum
credit_chain_row_key(PG_FUNCTION_ARGS)
{
	HeapTupleData tuple;
	TupleDesc	desc;
	ChainRel   *info = row_arg(fcinfo, &tuple, &desc);

	PG_RETURN_DATUM(row_key(info, desc, &tuple));
}

/*
 * credit.chain_entry_hash(prev bytea, seq bigint, logged_at timestamptz,
 * xact xid8, actor text, session_actor text, table_name text, op text,
 * row_key text[], row_digest bytea, note text) RETURNS bytea: an entry's
 * hash, as the append computes it (for credit.verify_chain()).
 */
PG_FUNCTION_INFO_V1(credit_chain_entry_hash);
Datum
credit_chain_entry_hash(PG_FUNCTION_ARGS)
{
	bytea	   *prev;
	uint8		hash[PG_SHA256_DIGEST_LENGTH];
	char		xact_text[32];
	bytea	   *digest = PG_ARGISNULL(9) ? NULL : PG_GETARG_BYTEA_PP(9);

	if (PG_ARGISNULL(0) || PG_ARGISNULL(1))
		PG_RETURN_NULL();
	prev = PG_GETARG_BYTEA_PP(0);
	if (digest != NULL && VARSIZE_ANY_EXHDR(digest) != PG_SHA256_DIGEST_LENGTH)
		PG_RETURN_NULL();		/* not a digest: the entry cannot verify */
	if (!PG_ARGISNULL(3))
		snprintf(xact_text, sizeof(xact_text), UINT64_FORMAT,
				 U64FromFullTransactionId(PG_GETARG_FULLTRANSACTIONID(3)));
	entry_hash((const uint8 *) VARDATA_ANY(prev), VARSIZE_ANY_EXHDR(prev), PG_GETARG_INT64(1),
			   PG_ARGISNULL(2) ? NULL : timestamptz_text(PG_GETARG_TIMESTAMPTZ(2)),
			   PG_ARGISNULL(3) ? NULL : xact_text,
			   PG_ARGISNULL(4) ? NULL : text_to_cstring(PG_GETARG_TEXT_PP(4)),
			   PG_ARGISNULL(5) ? NULL : text_to_cstring(PG_GETARG_TEXT_PP(5)),
			   PG_ARGISNULL(6) ? NULL : text_to_cstring(PG_GETARG_TEXT_PP(6)),
			   PG_ARGISNULL(7) ? NULL : text_to_cstring(PG_GETARG_TEXT_PP(7)),
			   PG_ARGISNULL(8) ? NULL : OidOutputFunctionCall(F_ARRAY_OUT, PG_GETARG_DATUM(8)),
			   digest ? (const uint8 *) VARDATA_ANY(digest) : NULL,
			   PG_ARGISNULL(10) ? NULL : text_to_cstring(PG_GETARG_TEXT_PP(10)),
			   hash);
	PG_RETURN_BYTEA_P(digest_bytea(hash));
}

/*
 * credit.chain_note(table_name text, op text, row_key text[], row_digest
 * bytea, note text) RETURNS void: an entry of this transaction's, appended
 * at commit (the snapshots of credit.chain_table and credit.chain_reanchor).
 */
PG_FUNCTION_INFO_V1(credit_chain_note);
Datum
credit_chain_note(PG_FUNCTION_ARGS)
{
	char	   *table_name;
	char	   *op;
	bytea	   *digest = PG_ARGISNULL(3) ? NULL : PG_GETARG_BYTEA_PP(3);

	if (PG_ARGISNULL(0) || PG_ARGISNULL(1))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("a change log entry needs a table name and an operation")));
	table_name = text_to_cstring(PG_GETARG_TEXT_PP(0));
	op = text_to_cstring(PG_GETARG_TEXT_PP(1));
	if (strcmp(op, "snapshot") != 0 && strcmp(op, "reanchor") != 0 && strcmp(op, "delete") != 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("operation \"%s\" cannot be noted by hand", op),
				 errhint("Only \"snapshot\", \"reanchor\" and \"delete\" entries are written by the audit functions.")));
	if (digest != NULL && VARSIZE_ANY_EXHDR(digest) != PG_SHA256_DIGEST_LENGTH)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("a row digest is %d bytes, not %d", PG_SHA256_DIGEST_LENGTH,
						(int) VARSIZE_ANY_EXHDR(digest))));
	/* what the log's CHECK constraints ask of an entry, before it is queued */
	if ((strcmp(op, "reanchor") == 0) != PG_ARGISNULL(2)
		|| (strcmp(op, "snapshot") == 0) != (digest != NULL))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("a \"%s\" entry %s", op,
						strcmp(op, "snapshot") == 0 ? "needs a row key and a row digest"
						: strcmp(op, "delete") == 0 ? "needs a row key and no row digest"
						: "has no row key and no row digest")));
	queue_entry(table_name, strcmp(op, "snapshot") == 0 ? "snapshot" : strcmp(op, "reanchor") == 0 ? "reanchor" : "delete",
				PG_ARGISNULL(2) ? (Datum) 0 : PG_GETARG_DATUM(2),
				digest ? (const uint8 *) VARDATA_ANY(digest) : NULL,
				PG_ARGISNULL(4) ? NULL : text_to_cstring(PG_GETARG_TEXT_PP(4)));
	PG_RETURN_VOID();
}
