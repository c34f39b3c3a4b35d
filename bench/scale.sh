# shellcheck shell=bash
# bench/scale.sh - bench/run --scale, sourced by bench/run once its cluster,
# builds and helpers are ready: GET by id, the filtered first pages and
# every search shape of issue 14 at 1,000,000 PR/FAQs (SCALE_DOCS) beside
# 10,000 in the same cluster and the same run, and the EXPLAIN (ANALYZE,
# BUFFERS) of every statement prfaqd ran for them.

# seed_scale N DB: N PR/FAQs as fast as this machine allows: the prfaqs
# indexes dropped, one COPY stream per core (BENCH_SEED_STREAMS: more take a
# larger share of a busy machine) from bench/seed_scale.sql (the
# documents of bench/seed_docs.sql; no history, which no measured request
# reads), the indexes built again afterwards (each in a session of its own,
# the search index alone), then VACUUM (ANALYZE) as autovacuum would soon do,
# and a checkpoint, so that none of it runs during the measurements.  The
# index definitions are read from the database, so that an index a
# migration adds is rebuilt too.  An interrupted load leaves a database
# that holds the wrong count, which prepare_db recreates.
seed_scale() {
    local n=$1 db=$2 parts quality t0=$SECONDS first last i pids=() defs=() names loaded
    quality=$(fixture_quality)
    parts=${BENCH_SEED_STREAMS:-$(nproc)}
    say "seeding $n PR/FAQs into $db: $parts COPY streams, load $(cut -d' ' -f1-3 /proc/loadavg)"
    # The users, before any stream needs them for its foreign keys; and a
    # mark that the load is under way, which prepare_db reads.
    "${PSQL[@]}" -d "$db" -f "$BENCH/seed_docs.sql" -c "COMMENT ON TABLE prfaqs IS 'bench: seeding'" >/dev/null
    mapfile -t defs < <("${PSQL[@]}" -d "$db" -c "SELECT indexdef FROM pg_indexes i
        WHERE schemaname = 'public' AND tablename = 'prfaqs'
          AND indexname NOT IN (SELECT conname FROM pg_constraint WHERE conrelid = 'prfaqs'::regclass)
        ORDER BY indexdef LIKE '%USING gin (search)%' DESC, indexname")
    names=$("${PSQL[@]}" -d "$db" -c "SELECT string_agg(quote_ident(indexname), ', ') FROM pg_indexes
        WHERE schemaname = 'public' AND tablename = 'prfaqs'
          AND indexname NOT IN (SELECT conname FROM pg_constraint WHERE conrelid = 'prfaqs'::regclass)")
    [ -z "$names" ] || "${PSQL[@]}" -d "$db" -c "DROP INDEX $names"
    for i in $(seq 0 $((parts - 1))); do
        first=$((i * n / parts + 1))
        last=$(((i + 1) * n / parts))
        (
            set -o pipefail
            "${PSQL[@]}" -d "$db" -v first="$first" -v last="$last" \
                -v fixture="$(cat "$ROOT/tests/fixtures/strong.json")" -v quality="$quality" \
                -f "$BENCH/seed_scale.sql" |
                "${PSQL[@]}" -d "$db" -c "COPY prfaqs (id, owner_id, status, version, title, team, tags,
                    content, quality, decision, created_at, updated_at) FROM STDIN"
        ) >"$WORK/seed.$i.log" 2>&1 &
        pids+=($!)
    done
    # Progress, once a minute: the load takes long enough to wonder.
    i=0
    while sleep 5 && kill -0 "${pids[@]}" 2>/dev/null; do
        [ $((++i % 12)) -eq 0 ] || continue
        loaded=$("${PSQL[@]}" -d "$db" -c "SELECT coalesce(sum(tuples_processed), 0) FROM pg_stat_progress_copy WHERE command = 'COPY FROM'")
        say "$loaded of $n loaded after $((SECONDS - t0)) s, load $(cut -d' ' -f1-3 /proc/loadavg)"
    done
    for i in "${!pids[@]}"; do
        wait "${pids[$i]}" || { cat "$WORK/seed.$i.log" >&2; die "seeding failed"; }
    done
    say "loaded in $((SECONDS - t0)) s; building ${#defs[@]} indexes"
    pids=()
    for i in $(seq 0 $((parts > 1 ? parts - 1 : 0))); do
        (
            for j in "${!defs[@]}"; do
                if [ "$parts" -eq 1 ] || { [ "$i" -eq 0 ] && [ "$j" -eq 0 ]; } ||
                    { [ "$i" -gt 0 ] && [ "$j" -gt 0 ] && [ $(((j - 1) % (parts - 1))) -eq $((i - 1)) ]; }; then
                    "${PSQL[@]}" -d "$db" -c "${defs[$j]}" || exit 1
                fi
            done
        ) >"$WORK/index.$i.log" 2>&1 &
        pids+=($!)
    done
    for i in "${!pids[@]}"; do
        wait "${pids[$i]}" || { cat "$WORK/index.$i.log" >&2; die "building the indexes failed"; }
    done
    say "indexed after $((SECONDS - t0)) s; VACUUM (ANALYZE)"
    "${PSQL[@]}" -d "$db" -c "VACUUM (ANALYZE) prfaqs" -c "COMMENT ON TABLE prfaqs IS NULL" -c "CHECKPOINT"
    SCALE_SEED_S=$((SECONDS - t0))
    say "seeded $n in $SCALE_SEED_S s, load $(cut -d' ' -f1-3 /proc/loadavg)"
}

SCALE_SEED_S=null
SCALE_LABEL=$(awk -v n="$SCALE_DOCS" 'BEGIN { if (n >= 1e6 && n % 1e6 == 0) print n / 1e6 "M";
    else if (n >= 1e3 && n % 1e3 == 0) print n / 1e3 "k"; else print n }')
prepare_db "$DOCS"
URL_DB_SMALL=$DB_URL TOKEN_SMALL=$TOKEN
prepare_db "$SCALE_DOCS" seed_scale
URL_DB_BIG=$DB_URL TOKEN_BIG=$TOKEN
if [ "$SEED_ONLY" = 1 ]; then
    say "bench_$SCALE_DOCS is seeded: $("${PSQL[@]}" -d "bench_$SCALE_DOCS" -c \
        "SELECT pg_size_pretty(pg_total_relation_size('prfaqs'))") in prfaqs"
    exit 0
fi
LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)

# use_db small|big: the next start_prfaqd serves that database, the next
# measure authenticates there and asks for its ids.
use_db() {
    if [ "$1" = small ]; then
        DB_URL=$URL_DB_SMALL BENCH_TOKEN=$TOKEN_SMALL BENCH_IDS=$WORK/ids_small SIZE_DB=bench_$DOCS
    else
        DB_URL=$URL_DB_BIG BENCH_TOKEN=$TOKEN_BIG BENCH_IDS=$WORK/ids_big SIZE_DB=bench_$SCALE_DOCS
    fi
    export BENCH_TOKEN BENCH_IDS
}
# Every id at 10,000; 200,000 drawn at random from the million (seed_docs.sql
# names document n md5('bench-' || n)): a wrk thread holds its list in Lua.
"${PSQL[@]}" -d "bench_$DOCS" -c "SELECT id FROM prfaqs" >"$WORK/ids_small"
IDS_BIG_SQL="SELECT md5('bench-' || (1 + abs(hashint4(i)) % $SCALE_DOCS))::uuid FROM generate_series(1, 200000) i"
"${PSQL[@]}" -d postgres -c "$IDS_BIG_SQL" >"$WORK/ids_big"
# Those documents' content into shared_buffers, as on a server that has
# been serving them a while (prepare_db prewarmed what fits by relation:
# all of the 10,000, and of the million the heap and the indexes, not its
# 10 GB of TOAST).  Without it the GETs at a million would measure their
# first reads from the kernel's page cache (README, "A million PR/FAQs").
"${PSQL[@]}" -d "bench_$SCALE_DOCS" -c "SELECT count(*) FROM prfaqs
    WHERE id IN ($IDS_BIG_SQL) AND length(content::text) > 0" >/dev/null

# 1. GET by id at both sizes, alternately, the best of BENCH_REPEAT each.
for i in $(seq 1 "$REPEAT"); do
    use_db small
    start_prfaqd
    measure "get_small#$i" "GET /v1/prfaqs/{id} @10k (run $i)" "$PRFAQD_PID" "$URL" get.lua
    use_db big
    start_prfaqd
    measure "get_big#$i" "GET /v1/prfaqs/{id} @$SCALE_LABEL (run $i)" "$PRFAQD_PID" "$URL" get.lua
done
best_of get_small
best_of get_big

# 1b. At 10,000: GET and PUT through PgBouncer in transaction pooling beside
# direct connections, and pgbench running prfaqd's statements (bench/get.sql,
# bench/put.sql) with as many clients as server threads: what one PostgreSQL
# serves, and what each request costs it (DB CPU per 1,000, from /proc).
use_db small
start_prfaqd
start_pgbouncer
start_pgb_prfaqd
for i in $(seq 1 "$REPEAT"); do
    measure "get_direct#$i" "GET @10k direct (run $i)" "$PRFAQD_PID" "$URL" get.lua
    measure "get_pgb#$i" "GET @10k PgBouncer (run $i)" "$PGB_PRFAQD_PID" "$PGB_URL" get.lua
done
best_of get_direct
best_of get_pgb
scale_put_docs() { # OFFSET FILE: drafts to edit, with their versions now
    "${PSQL[@]}" -d "bench_$DOCS" -F ' ' -c "SELECT id, version FROM prfaqs WHERE status = 'draft'
        ORDER BY id OFFSET $1 LIMIT $((CONNS * 4))" >"$2"
}
"${PSQL[@]}" -d "bench_$DOCS" -c "SELECT json_build_object('title', title, 'team', team, 'tags', tags,
        'content', content, 'change_note', 'Benchmark edit ' || row_number() OVER ())
    FROM prfaqs WHERE status = 'draft' ORDER BY id DESC LIMIT 8" >"$WORK/put_bodies"
export BENCH_PUT_BODIES=$WORK/put_bodies
scale_put_docs 0 "$WORK/put_docs"
BENCH_PUT_DOCS=$WORK/put_docs WARMUP=0 measure put_direct "PUT @10k direct" "$PRFAQD_PID" "$URL" put.lua
scale_put_docs 0 "$WORK/put_docs"
BENCH_PUT_DOCS=$WORK/put_docs WARMUP=0 measure put_pgb "PUT @10k PgBouncer" "$PGB_PRFAQD_PID" "$PGB_URL" put.lua
stop_pid "$PGB_PRFAQD_PID" || BROKEN+=("prfaqd behind PgBouncer did not exit cleanly")
PGB_PRFAQD_PID=""
stop_pgbouncer
stop_prfaqd
# pgbench_run KEY LABEL FILE ARGS...: one pgbench run; its TPS, mean latency
# and PostgreSQL's CPU per 1,000 transactions.
declare -A PGB_TPS_OF PGB_LAT_OF PGB_DBCPU_OF PGB_WAL_OF PGB_GROWTH_OF
pgbench_run() {
    local key=$1 label=$2 file=$3 out d0 d1 w0 w1 s0 s1 tx
    shift 3
    w0=$("${PSQL[@]}" -d "bench_$DOCS" -c "SELECT pg_current_wal_lsn()")
    s0=$("${PSQL[@]}" -d "bench_$DOCS" -c "SELECT pg_database_size(current_database())")
    d0=$(pg_ticks)
    out=$("$PGBIN/pgbench" -h "$PG_SOCKET" -U postgres -n -M prepared -c "$THREADS" -j "$THREADS" \
        -T "$DUR" -f "$BENCH/$file" "$@" "bench_$DOCS" 2>&1) || { echo "$out" >&2; die "pgbench failed ($label)"; }
    # Until the postmaster has reaped pgbench's backends, their CPU time is
    # in neither place pg_ticks reads.
    for _ in $(seq 50); do
        [ -z "$(ps -o pid= --ppid "$PG_PM" -o args= | grep 'postgres: postgres bench_' || true)" ] && break
        sleep 0.1
    done
    sleep 0.2
    d1=$(pg_ticks)
    # WAL and disk per transaction: what a write costs a standby, a backup
    # and the disk.
    tx=$(printf '%s\n' "$out" | sed -n 's/^number of transactions actually processed: \([0-9]*\).*/\1/p')
    w1=$("${PSQL[@]}" -d "bench_$DOCS" -c "SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), '$w0')")
    s1=$("${PSQL[@]}" -d "bench_$DOCS" -c "SELECT pg_database_size(current_database()) - $s0")
    PGB_WAL_OF[$key]=$(awk -v b="$w1" -v n="${tx:-0}" 'BEGIN { printf "%.0f", (n > 0 ? b / n : 0) }')
    PGB_GROWTH_OF[$key]=$(awk -v b="$s1" -v n="${tx:-0}" 'BEGIN { printf "%.0f", (n > 0 ? b / n : 0) }')
    PGB_TPS_OF[$key]=$(printf '%s\n' "$out" | sed -n 's/^tps = \([0-9.]*\).*/\1/p' | head -1)
    PGB_LAT_OF[$key]=$(printf '%s\n' "$out" | sed -n 's/^latency average = \([0-9.]*\) ms/\1/p')
    PGB_DBCPU_OF[$key]=$(awk -v t=$((d1 - d0)) -v tps="${PGB_TPS_OF[$key]}" -v d="$DUR" -v hz="$CLK_TCK" \
        'BEGIN { printf "%.3f", (tps > 0 ? t / hz * 1000 / (tps * d) : 0) }')
    ROWS+=("$(printf '%-34s %9.0f %8s %8s %10s %10s %8s %6s' "$label" "${PGB_TPS_OF[$key]}" \
        "${PGB_LAT_OF[$key]}" "" "" "${PGB_DBCPU_OF[$key]}" "" "")")
    say "$label: ${PGB_TPS_OF[$key]} tps, mean ${PGB_LAT_OF[$key]} ms, DB CPU ${PGB_DBCPU_OF[$key]} s/1k, WAL ${PGB_WAL_OF[$key]} B/tx, disk ${PGB_GROWTH_OF[$key]} B/tx"
}
pgbench_run get "GET same SQL, pgbench -c $THREADS" get.sql -D ndocs="$DOCS"
IFS=$'\x1f' read -r PB_TITLE PB_TEAM PB_TAGS PB_CONTENT PB_QUALITY < <("${PSQL[@]}" -d "bench_$DOCS" -F $'\x1f' \
    -c "SELECT title, team, to_jsonb(tags), content, quality FROM prfaqs WHERE status = 'draft' ORDER BY id DESC LIMIT 1")
BENCH_USER=$("${PSQL[@]}" -d "bench_$DOCS" -c "SELECT id FROM users WHERE email = 'bench@localhost'")
pgbench_run put "PUT same SQL, pgbench -c $THREADS" put.sql -D ndocs="$DOCS" -D actor="$BENCH_USER" \
    -D "title=$PB_TITLE" -D "team=$PB_TEAM" -D "tags=$PB_TAGS" -D "content=$PB_CONTENT" \
    -D "quality=$PB_QUALITY" -D "note=Benchmark edit"

# 2. The filtered first pages and every search shape, at both sizes.
use_db small
start_prfaqd
list_scenarios "bench_$DOCS" "" " @10k"
MATCHES_SMALL=$MATCHES
mkdir "$WORK/paths_small" && cp "$WORK"/l_* "$WORK/paths_small/"
use_db big
start_prfaqd
list_scenarios "bench_$SCALE_DOCS" _big " @$SCALE_LABEL"
MATCHES_BIG=$MATCHES
mkdir "$WORK/paths_big" && cp "$WORK"/l_* "$WORK/paths_big/"
stop_prfaqd

# 3. What PostgreSQL did for each: a prfaqd whose role loads auto_explain
# (bench_explain; the measured servers above did not pay for it) asks each
# path of the scenarios a few times, so that prepared statements reach the
# plan they keep, and the plans of the last request are cut from the
# server log.
EXPLAIN_OUT=$WORK/explain.txt
: >"$EXPLAIN_OUT"
explain_paths() { # DB LABEL PATH...
    local db=$1 label=$2 from p
    shift 2
    for p in "$@"; do
        for _ in 1 2 3 4 5 6; do
            curl -s -o /dev/null -H "Authorization: Bearer $BENCH_TOKEN" "$URL$p"
        done
        from=$(stat -c %s "$PG_DIR/postgres.log")
        curl -s -o /dev/null -H "Authorization: Bearer $BENCH_TOKEN" "$URL$p"
        sleep 0.2
        {
            printf '\n===== %s: GET %s (%s)\n' "$label" "$p" "$db"
            # Each plan is a block from its "duration" line; the webhook
            # sender's polls are not the request's.
            tail -c +$((from + 1)) "$PG_DIR/postgres.log" | awk '
                function flush() { if (blk != "" && blk !~ /webhook_deliveries/) printf "%s", blk; blk = "" }
                /LOG:  duration: .* plan:/ { flush(); blk = $0 "\n"; next }
                blk != "" { blk = blk $0 "\n" }
                END { flush() }'
        } >>"$EXPLAIN_OUT"
    done
}
"${PSQL[@]}" -d postgres -c "DO \$\$ BEGIN
        IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'bench_explain') THEN
            CREATE ROLE bench_explain LOGIN SUPERUSER;
        END IF; END \$\$" \
    -c "ALTER ROLE bench_explain SET session_preload_libraries = 'auto_explain'" \
    -c "ALTER ROLE bench_explain SET auto_explain.log_min_duration = 0" \
    -c "ALTER ROLE bench_explain SET auto_explain.log_analyze = on" \
    -c "ALTER ROLE bench_explain SET auto_explain.log_buffers = on" \
    -c "ALTER ROLE bench_explain SET auto_explain.log_timing = on"
for size in big small; do
    use_db "$size"
    DB_URL=${DB_URL/user=postgres/user=bench_explain} start_prfaqd PRFAQ_THREADS=1 PRFAQ_DB_POOL_SIZE=1
    explain_paths "$SIZE_DB" "GET by id" "/v1/prfaqs/$(head -1 "$BENCH_IDS")"
    for l in status team tag owner q_rare q_medium q_common q_phrase q_negation q_prefix q_nothing; do
        # The searches' lists mix their shape with words of every frequency:
        # up to four of each, not only the first.
        mapfile -t paths < <(head -"$([ "${l#q_}" != "$l" ] && echo 4 || echo 1)" "$WORK/paths_$size/l_$l")
        explain_paths "$SIZE_DB" "$l" "${paths[@]}"
    done
done
stop_prfaqd

# --- report -------------------------------------------------------------------

# The million's footprint: what a server of this size must hold in memory.
SIZES=$("${PSQL[@]}" -d "bench_$SCALE_DOCS" -c "SELECT json_build_object(
    'prfaqs_total_bytes', pg_total_relation_size('prfaqs'),
    'heap_bytes', pg_relation_size('prfaqs'),
    'toast_bytes', pg_total_relation_size((SELECT reltoastrelid FROM pg_class WHERE oid = 'prfaqs'::regclass)),
    'indexes', (SELECT json_object_agg(indexrelid::regclass, pg_relation_size(indexrelid))
                  FROM pg_index WHERE indrelid = 'prfaqs'::regclass),
    'database_bytes', pg_database_size(current_database()))")
target "GET p50 @$SCALE_LABEL / @10k" "$(ratio "${P50[get_big]}" "${P50[get_small]}")" le 1.1 ""
PGB_RATIOS="GET req/s $(ratio "${RPS[get_pgb]}" "${RPS[get_direct]}"), GET p50 $(ratio "${P50[get_pgb]}" "${P50[get_direct]}"), PUT req/s $(ratio "${RPS[put_pgb]}" "${RPS[put_direct]}"), PUT p50 $(ratio "${P50[put_pgb]}" "${P50[put_direct]}")"
# The issue's target is the median; the tail is reported beside it.
GET_P99_RATIO=$(ratio "${P99[get_big]}" "${P99[get_small]}")
for l in status team tag owner; do
    target "?$l= first page p99 (ms), c=$THREADS @$SCALE_LABEL" "$(ms "${P99[list_${l}_big]}")" le 10 ""
done
for l in q_rare q_medium q_common q_phrase q_negation q_prefix q_nothing; do
    target "?q= ${l#q_} p99 (ms), c=$THREADS @$SCALE_LABEL" "$(ms "${P99[list_${l}_big]}")" le 100 ""
done

STAMP=$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p "$BENCH/results"
OUT=$BENCH/results/$STAMP-scale.json
cp "$EXPLAIN_OUT" "$BENCH/results/$STAMP-scale-explain.txt"
{
    printf '{"timestamp":"%s","mode":"scale","docs":%s,"docs_scale":%s,"seed_s":%s,' \
        "$STAMP" "$DOCS" "$SCALE_DOCS" "$SCALE_SEED_S"
    printf '"git":"%s","dirty":%s,' "$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)" \
        "$([ -n "$(git -C "$ROOT" status --porcelain --untracked-files=no 2>/dev/null)" ] && echo true || echo false)"
    printf '"host":{"cores":%s,"memory_mb":%s,"loadavg_at_start":"%s","loadavg_at_end":"%s","kernel":"%s"},' \
        "$(nproc)" "$MEM_MB" "$LOAD_START" "$(cut -d' ' -f1-3 /proc/loadavg)" "$(uname -r)"
    printf '"config":{"server_threads":%s,"wrk_threads":%s,"duration_s":%s,"warmup_s":%s,"repeat":%s,"pg_options":"%s"},' \
        "$THREADS" "$WRK_THREADS" "$DUR" "$WARMUP" "$REPEAT" "$PRFAQ_PG_OPTIONS"
    printf '"sizes":%s,"search_matches":%s,"search_matches_scale":%s,' "$SIZES" "$MATCHES_SMALL" "$MATCHES_BIG"
    printf '"scenarios":[%s],' "$(IFS=,; echo "${SCENARIOS[*]}")"
    printf '"best":{"get_small":{"rps":%s,"p50_us":%s,"p99_us":%s},"get_big":{"rps":%s,"p50_us":%s,"p99_us":%s},"get_p99_ratio":%s},' \
        "${RPS[get_small]}" "${P50[get_small]}" "${P99[get_small]}" "${RPS[get_big]}" "${P50[get_big]}" "${P99[get_big]}" "$GET_P99_RATIO"
    printf '"pgbouncer":{"get_direct":{"rps":%s,"p50_us":%s,"p99_us":%s,"cpu_s_per_1k":%s,"db_cpu_s_per_1k":%s},' \
        "${RPS[get_direct]}" "${P50[get_direct]}" "${P99[get_direct]}" "${CPU[get_direct]}" "${DBCPU[get_direct]}"
    printf '"get_pgbouncer":{"rps":%s,"p50_us":%s,"p99_us":%s,"cpu_s_per_1k":%s,"db_cpu_s_per_1k":%s},' \
        "${RPS[get_pgb]}" "${P50[get_pgb]}" "${P99[get_pgb]}" "${CPU[get_pgb]}" "${DBCPU[get_pgb]}"
    printf '"put_direct":{"rps":%s,"p50_us":%s,"p99_us":%s,"cpu_s_per_1k":%s,"db_cpu_s_per_1k":%s},' \
        "${RPS[put_direct]}" "${P50[put_direct]}" "${P99[put_direct]}" "${CPU[put_direct]}" "${DBCPU[put_direct]}"
    printf '"put_pgbouncer":{"rps":%s,"p50_us":%s,"p99_us":%s,"cpu_s_per_1k":%s,"db_cpu_s_per_1k":%s},"ratios":"%s"},' \
        "${RPS[put_pgb]}" "${P50[put_pgb]}" "${P99[put_pgb]}" "${CPU[put_pgb]}" "${DBCPU[put_pgb]}" "$PGB_RATIOS"
    printf '"pgbench":{"clients":%s,"get":{"tps":%s,"latency_ms":%s,"db_cpu_s_per_1k":%s,"wal_bytes_per_tx":%s},"put":{"tps":%s,"latency_ms":%s,"db_cpu_s_per_1k":%s,"wal_bytes_per_tx":%s,"disk_bytes_per_tx":%s}},' \
        "$THREADS" "${PGB_TPS_OF[get]}" "${PGB_LAT_OF[get]}" "${PGB_DBCPU_OF[get]}" "${PGB_WAL_OF[get]}" \
        "${PGB_TPS_OF[put]}" "${PGB_LAT_OF[put]}" "${PGB_DBCPU_OF[put]}" "${PGB_WAL_OF[put]}" "${PGB_GROWTH_OF[put]}"
    printf '"explain":"%s",' "results/$STAMP-scale-explain.txt"
    printf '"targets":[%s]}\n' "$(IFS=,; echo "${TARGET_JSON[*]}")"
} >"$OUT"

echo
printf 'prfaqd at scale (%s and %s PR/FAQs; %s server threads; %ss each; %s cores; load %s at the start, %s at the end)\n' \
    "$DOCS" "$SCALE_DOCS" "$THREADS" "$DUR" "$(nproc)" "$LOAD_START" "$(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-34s %9s %8s %8s %10s %10s %8s %6s\n' "scenario" "req/s" "p50 ms" "p99 ms" "CPU s/1k" "DB CPU/1k" "peak MB" "errors"
printf '%s\n' "${ROWS[@]}"
printf '\nsizes at %s: %s\n' "$SCALE_DOCS" "$SIZES"
printf 'search matches: at %s %s; at %s %s\n' "$DOCS" "$MATCHES_SMALL" "$SCALE_DOCS" "$MATCHES_BIG"
printf 'GET p99 @%s / @10k: %s (no target)\n' "$SCALE_LABEL" "$GET_P99_RATIO"
printf 'through PgBouncer (transaction pooling) / direct, at %s: %s\n' "$DOCS" "$PGB_RATIOS"
printf 'pgbench PUT: %s B of WAL and %s B of disk per transaction\n' "${PGB_WAL_OF[put]}" "${PGB_GROWTH_OF[put]}"
printf '\n%-52s %10s %-4s %-8s %s\n' "target" "measured" "" "limit" ""
printf '%s\n' "${TARGET_ROWS[@]}"
printf '\nresults: %s\nplans:   %s\n' "${OUT#"$ROOT"/}" "bench/results/$STAMP-scale-explain.txt"
if [ ${#BROKEN[@]} -gt 0 ]; then
    printf 'broken: %s\n' "${BROKEN[@]}" >&2
    exit 1
fi
exit 0
