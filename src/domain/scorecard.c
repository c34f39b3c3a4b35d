/*
 * scorecard.c - the scorecard's arithmetic (see prfaq/loop.h): the store
 * reads everything in one query; this file turns it into progress, on-track
 * and the two divergence signals, so the rules are unit-tested without a
 * database.
 *
 *   progress  = (latest - baseline) / (target - baseline), the baseline
 *               being the metric's own or else its first measurement;
 *               null without a latest value, a baseline, or when the target
 *               equals the baseline (nothing to travel).
 *   elapsed   = the share of [launched_on, by] that has passed by today,
 *               0 before the launch, 1 from by on; null without both dates.
 *   on_track  = progress >= elapsed; null when either is null.
 *
 * Signals (a list, empty when nothing stands out):
 *   data-anecdote-divergence: at least one output metric is measured, every
 *     measured output metric is on track, and the evidence linked to this
 *     PR/FAQ and observed since launch is mostly negative (at least 3
 *     negative, more negative than positive).
 *   input-output-divergence: at least one input metric has a known
 *     on_track, every such input is on track, and some output metric is
 *     known to be off track.
 */
#include <stdio.h>
#include <string.h>

#include "prfaq/loop.h"

#define DIVERGENCE_NEGATIVE_MIN 3

/* Days since 1970-01-01 of "YYYY-MM-DD" (borrowed); false if it is not one. */
static bool
day_of(const json_t *v, int64_t *days)
{
	int64_t us;
	bool is_date;

	if (!json_is_string(v) ||
	    !prfaq_instant_parse(json_string_value(v), json_string_length(v),
				 &us, &is_date) ||
	    !is_date)
		return false;
	*days = us / (86400LL * 1000000LL);
	return true;
}

/* The share of [on, by] elapsed at today, in 0..1; false when unknown. */
static bool
elapsed_share(const json_t *launched_on, const json_t *by, const char *today,
	      double *share)
{
	int64_t on_d, by_d, now_d;
	json_t *t = json_string(today);
	bool ok = day_of(launched_on, &on_d) && day_of(by, &by_d) &&
		  day_of(t, &now_d);

	json_decref(t);
	if (!ok)
		return false;
	if (now_d >= by_d)
		*share = 1.0;
	else if (now_d <= on_d)
		*share = 0.0;
	else
		*share = (double)(now_d - on_d) / (double)(by_d - on_d);
	return true;
}

/* What one metric's figures say; the known_* flags say what is known. */
struct metric_eval {
	bool measured;
	bool has_progress, has_on_track;
	double baseline, progress;
	bool baseline_known, on_track;
};

static struct metric_eval
evaluate(const json_t *m, const json_t *st, const json_t *launched_on,
	 const char *today)
{
	struct metric_eval e = { 0 };
	const json_t *latest = json_object_get(st, "latest");
	const json_t *target = json_object_get(m, "target");
	const json_t *base = json_object_get(m, "baseline");
	double share;

	if (!json_is_number(base))
		base = json_object_get(st, "first");
	e.baseline_known = json_is_number(base);
	e.baseline = e.baseline_known ? json_number_value(base) : 0;
	e.measured = json_is_number(latest);
	if (e.measured && e.baseline_known && json_is_number(target) &&
	    json_number_value(target) != e.baseline) {
		e.has_progress = true;
		e.progress = (json_number_value(latest) - e.baseline) /
			     (json_number_value(target) - e.baseline);
	}
	if (e.has_progress &&
	    elapsed_share(launched_on, json_object_get(m, "by"), today,
			  &share)) {
		e.has_on_track = true;
		e.on_track = e.progress >= share;
	}
	return e;
}

/* metrics[i] of the scorecard, from the decided metric m and its stats. */
static json_t *
metric_card(const json_t *m, const json_t *st, const struct metric_eval *e)
{
	const json_t *latest = json_object_get(st, "latest");
	json_t *card;

	card = json_pack(
		"{s:O?, s:O?, s:O?, s:O?, s:O?, s:o, s:O?, s:O?, s:o, s:o, s:o, "
		"s:I}",
		"key", json_object_get(m, "key"), "name",
		json_object_get(m, "name"), "kind", json_object_get(m, "kind"),
		"unit", json_object_get(m, "unit"), "direction",
		json_object_get(m, "direction"), "baseline",
		e->baseline_known ? json_real(e->baseline) : json_null(),
		"target", json_object_get(m, "target"), "by",
		json_object_get(m, "by"), "latest",
		e->measured ? json_pack("{s:O, s:O?}", "value", latest, "at",
					json_object_get(st, "latest_at")) :
			      json_null(),
		"progress",
		e->has_progress ? json_real(e->progress) : json_null(),
		"on_track",
		e->has_on_track ? json_boolean(e->on_track) : json_null(),
		"measurements", json_integer_value(json_object_get(st, "n")));
	/* the metric's own baseline is given back as it was written */
	if (card != NULL && json_is_number(json_object_get(m, "baseline")))
		json_object_set(card, "baseline",
				json_object_get(m, "baseline"));
	return card;
}

/* Append {type, message} to signals. */
static void
signal_add(json_t *signals, const char *type, const char *message)
{
	json_array_append_new(signals, json_pack("{s:s, s:s}", "type", type,
						 "message", message));
}

/* Tallies over the metrics, for the signals. */
struct tally {
	size_t outputs_measured, outputs_on_track, outputs_off_track;
	size_t inputs_known, inputs_on_track;
};

static void
signals_build(json_t *signals, const struct tally *t, const json_t *voice)
{
	json_int_t neg = json_integer_value(json_object_get(voice, "negative"));
	json_int_t pos = json_integer_value(json_object_get(voice, "positive"));
	char msg[512];

	if (t->outputs_measured > 0 &&
	    t->outputs_on_track == t->outputs_measured &&
	    neg >= DIVERGENCE_NEGATIVE_MIN && neg > pos) {
		snprintf(
			msg, sizeof(msg),
			"Every measured output metric is on track, yet %" JSON_INTEGER_FORMAT
			" of the customer anecdotes linked since launch are "
			"negative (%" JSON_INTEGER_FORMAT
			" positive): when the data and the anecdotes disagree, "
			"the anecdotes are usually right. Dive deep into them "
			"(GET /v1/evidence?prfaq=<id>&sentiment=negative).",
			neg, pos);
		signal_add(signals, "data-anecdote-divergence", msg);
	}
	if (t->inputs_known > 0 && t->inputs_on_track == t->inputs_known &&
	    t->outputs_off_track > 0) {
		snprintf(msg, sizeof(msg),
			 "The input metrics are on track but %zu output "
			 "metric%s not: the inputs chosen may not drive the "
			 "output. Revisit which controllable inputs move it.",
			 t->outputs_off_track,
			 t->outputs_off_track == 1 ? " is" : "s are");
		signal_add(signals, "input-output-divergence", msg);
	}
}

json_t *
prfaq_scorecard_build(const json_t *raw, const char *today)
{
	const json_t *metrics = json_object_get(raw, "metrics");
	const json_t *stats = json_object_get(raw, "stats");
	const json_t *launched_on = json_object_get(raw, "launched_on");
	const json_t *voice = json_object_get(raw, "voice");
	struct tally t = { 0 };
	json_t *cards = json_array(), *signals = json_array(), *out = NULL;
	size_t i;
	json_t *m;

	if (cards == NULL || signals == NULL)
		goto out;
	json_array_foreach((json_t *)metrics, i, m) {
		const char *key = json_string_value(json_object_get(m, "key"));
		const char *kind =
			json_string_value(json_object_get(m, "kind"));
		const json_t *st = key ? json_object_get(stats, key) : NULL;
		struct metric_eval e;
		bool output = kind != NULL && strcmp(kind, "output") == 0;

		if (!json_is_object(m) || key == NULL)
			continue;
		e = evaluate(m, st, launched_on, today);
		if (json_array_append_new(cards, metric_card(m, st, &e)) != 0)
			goto out;
		if (output && e.measured)
			t.outputs_measured++;
		if (output && e.has_on_track && e.on_track)
			t.outputs_on_track++;
		if (output && e.has_on_track && !e.on_track)
			t.outputs_off_track++;
		if (!output && e.has_on_track) {
			t.inputs_known++;
			t.inputs_on_track += e.on_track;
		}
	}
	signals_build(signals, &t, voice);
	out = json_pack("{s:O?, s:O?, s:O, s:{s:{s:I, s:I, s:I}}, s:O}",
			"status", json_object_get(raw, "status"), "launched_on",
			launched_on, "metrics", cards, "voice", "since_launch",
			"negative",
			json_integer_value(json_object_get(voice, "negative")),
			"neutral",
			json_integer_value(json_object_get(voice, "neutral")),
			"positive",
			json_integer_value(json_object_get(voice, "positive")),
			"signals", signals);
out:
	json_decref(cards);
	json_decref(signals);
	return out;
}
