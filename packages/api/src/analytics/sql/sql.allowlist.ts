/**
 * What an analyst's statement may call. An allowlist, not a denylist: PostgreSQL ships
 * thousands of functions, and the dangerous ones (pg_sleep, pg_read_file, lo_import, dblink,
 * set_config, current_setting, pg_advisory_lock, nextval, query_to_xml…) are simply absent.
 * Every name here is a pure function of its arguments or of the clock.
 */
const words = (list: string): string[] => list.trim().split(/\s+/);

const AGGREGATES = words(`
  count sum avg min max stddev stddev_pop stddev_samp variance var_pop var_samp bool_and
  bool_or every string_agg array_agg json_agg jsonb_agg json_object_agg jsonb_object_agg
  percentile_cont percentile_disc mode corr covar_pop covar_samp regr_slope regr_intercept
  regr_r2 regr_count regr_avgx regr_avgy bit_and bit_or any_value
`);

const WINDOW = words(`
  row_number rank dense_rank percent_rank cume_dist ntile lag lead first_value last_value
  nth_value
`);

const MATH = words(`
  abs ceil ceiling floor round trunc sign sqrt cbrt power pow exp ln log log10 mod div pi
  degrees radians width_bucket greatest least random gcd lcm scale
`);

const STRING = words(`
  length char_length character_length octet_length lower upper initcap btrim ltrim rtrim
  trim substr substring position strpos left right replace split_part concat concat_ws
  starts_with reverse md5 format to_char to_number regexp_replace regexp_match regexp_like
  regexp_count regexp_split_to_array string_to_array array_to_string translate overlay
  normalize textcat like_escape similar_to_escape
`);

const DATE_TIME = words(`
  now date_trunc date_part extract date_bin make_date make_time make_timestamp
  make_timestamptz make_interval to_timestamp to_date age justify_days justify_hours
  justify_interval isfinite timezone clock_timestamp statement_timestamp
  transaction_timestamp date_add date_subtract
`);

const JSON_FUNCTIONS = words(`
  jsonb_extract_path jsonb_extract_path_text json_extract_path json_extract_path_text
  jsonb_typeof json_typeof jsonb_array_length json_array_length jsonb_array_elements
  jsonb_array_elements_text json_array_elements json_array_elements_text jsonb_each
  jsonb_each_text json_each json_each_text jsonb_object_keys json_object_keys
  jsonb_build_object json_build_object jsonb_build_array json_build_array to_jsonb to_json
  jsonb_strip_nulls json_strip_nulls jsonb_pretty jsonb_to_record jsonb_to_recordset
  jsonb_set jsonb_insert jsonb_path_exists jsonb_path_query jsonb_path_query_array
  jsonb_path_query_first jsonb_path_match row_to_json
`);

// generate_series is allowed for filling gaps in time series; its cost is bounded by the
// statement timeout (and, on PGlite, by the plan-cost ceiling).
const ARRAYS_AND_SETS = words(`
  unnest array_length cardinality array_position array_positions array_remove array_append
  array_prepend array_cat array_lower array_upper generate_series coalesce nullif
  num_nulls num_nonnulls
`);

export const ALLOWED_FUNCTIONS: ReadonlySet<string> = new Set([
  ...AGGREGATES,
  ...WINDOW,
  ...MATH,
  ...STRING,
  ...DATE_TIME,
  ...JSON_FUNCTIONS,
  ...ARRAYS_AND_SETS,
]);

/**
 * Types a value may be cast to. reg* types are the notable absentees: `'pg_class'::regclass`
 * reads the catalog by name.
 */
export const ALLOWED_TYPES: ReadonlySet<string> = new Set(
  words(`
  bool boolean int2 int4 int8 smallint integer int bigint numeric decimal float4 float8
  real text varchar bpchar char date time timetz timestamp timestamptz interval json jsonb
  uuid
`),
);

/** CURRENT_DATE and friends; CURRENT_USER, SESSION_USER and CURRENT_SCHEMA are left out. */
export const ALLOWED_VALUE_FUNCTIONS: ReadonlySet<string> = new Set(
  words(`
  SVFOP_CURRENT_DATE SVFOP_CURRENT_TIME SVFOP_CURRENT_TIME_N SVFOP_CURRENT_TIMESTAMP
  SVFOP_CURRENT_TIMESTAMP_N SVFOP_LOCALTIME SVFOP_LOCALTIME_N SVFOP_LOCALTIMESTAMP
  SVFOP_LOCALTIMESTAMP_N
`),
);

/** Parse-tree node kinds that only compute values; anything else is refused by name. */
export const ALLOWED_NODES: ReadonlySet<string> = new Set(
  words(`
  ResTarget ColumnRef A_Const A_Star A_Expr A_Indirection A_Indices A_ArrayExpr
  RangeSubselect RangeFunction JoinExpr SortBy WindowDef SubLink BoolExpr NullTest
  BooleanTest CaseExpr CaseWhen CoalesceExpr MinMaxExpr RowExpr CollateClause GroupingSet
  GroupingFunc NamedArgExpr ColumnDef String Integer Float Boolean BitString List Alias
`),
);
