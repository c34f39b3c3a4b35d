/*
 * wordlists.c - the vocabulary of the quality checks (see prfaq/wordlists.h).
 *
 * Sources: public guides to Amazon-style writing (weasel words, hype, gushing
 * quotes) and the Working Backwards FAQ topics.  Keep entries lower case; keep
 * each list roughly alphabetical so duplicates are easy to spot.  Inflected
 * forms are listed explicitly ("risk", "risks", "risky"): matching is on whole
 * words, never on prefixes, so every entry says exactly what it catches.
 */
#include "prfaq/wordlists.h"

/* clang-format off */
static const char *const weasel[] = {
	"a lot of", "almost all", "arguably", "countless", "experts agree",
	"extremely", "fairly", "generally", "in most cases", "it is believed",
	"lots of", "many", "might", "most people", "nearly all", "numerous",
	"quite", "really", "relatively", "should result in", "significantly",
	"some people", "somewhat", "studies show", "substantially", "various",
	"very", "virtually",
	NULL
};

static const char *const hype[] = {
	"amazing", "awesome", "best-in-class", "best-of-breed", "bleeding-edge",
	"cutting-edge", "disruptive", "first-of-its-kind", "game changer",
	"game-changing", "ground-breaking", "groundbreaking", "incredible",
	"industry-leading", "innovative", "leading", "magical", "market-leading",
	"next-gen", "next-generation", "paradigm shift", "revolutionary",
	"revolutionize", "revolutionizes", "robust", "seamless", "seamlessly",
	"state-of-the-art", "synergy", "ultimate", "unparalleled",
	"unprecedented", "world-class",
	NULL
};
/* clang-format on */

/*
 * Excuses: a longer match here wins over a weasel or hype entry it contains.
 * "How many customers are there?" is a market-size question, not a weasel.
 */
/* clang-format off */
static const char *const plain[] = {
	"how many", "leading cause", "leading to", "leading up to",
	NULL
};

static const char *const gush[] = {
	"blown away", "can't wait", "delighted", "ecstatic",
	"excited", "exciting", "honored", "honoured", "over the moon",
	"overjoyed", "pleased", "proud", "thrilled",
	NULL
};
/* clang-format on */

/* Spelled-out quantities; any ASCII digit also counts (checked directly). */
/* clang-format off */
static const char *const number[] = {
	"billion", "billions", "dozen", "dozens", "eight", "eighty", "eleven",
	"fifteen", "fifty", "five", "forty", "four", "half", "hundred",
	"hundreds", "million", "millions", "nine", "ninety", "one in",
	"percent", "seven", "seventy", "six", "sixty", "ten", "thirty",
	"thousand", "thousands", "three", "twelve", "twenty", "twice", "two",
	NULL
};

static const char *const risk[] = {
	"downside", "downsides", "fail", "failed", "failing", "fails",
	"failure", "failures", "go wrong", "goes wrong", "mitigate",
	"mitigation", "risk", "risks", "risky", "threat", "threats", "why not",
	"worst case",
	NULL
};

static const char *const economics[] = {
	"break even", "breakeven", "budget", "cost", "costs", "economics",
	"fee", "fees", "investment", "margin", "margins", "p&l", "price",
	"priced", "prices", "pricing", "profit", "profitability", "profitable",
	"profits", "revenue", "revenues", "roi",
	NULL
};

static const char *const market[] = {
	"addressable", "customers are there", "how big is the",
	"how many businesses", "how many customers", "how many people",
	"how many users", "market size", "market sizing", "number of customers",
	"potential customers", "size of the market", "tam", "total market",
	NULL
};

static const char *const dependency[] = {
	"dependence", "dependencies", "dependency", "dependent", "depend",
	"depended", "depending", "depends", "partner", "partners",
	"partnership", "partnerships", "reliance", "relies", "rely", "relying",
	"supplier", "suppliers", "third parties", "third party", "vendor",
	"vendors",
	NULL
};
/* clang-format on */

const struct prfaq_wordlist prfaq_wordlists[PRFAQ_LEX_COUNT] = {
	[PRFAQ_LEX_WEASEL] = { "weasel", weasel },
	[PRFAQ_LEX_HYPE] = { "hype", hype },
	[PRFAQ_LEX_PLAIN] = { "plain", plain },
	[PRFAQ_LEX_GUSH] = { "gush", gush },
	[PRFAQ_LEX_NUMBER] = { "number", number },
	[PRFAQ_LEX_RISK] = { "risk", risk },
	[PRFAQ_LEX_ECONOMICS] = { "economics", economics },
	[PRFAQ_LEX_MARKET] = { "market", market },
	[PRFAQ_LEX_DEPENDENCY] = { "dependency", dependency },
};

/*
 * Acronyms every reader of a press release knows.  Deliberately short: API,
 * SLA, SKU and friends are jargon to a customer and must be spelled out.
 */
const char *const prfaq_acronyms_known[] = {
	"AM",  "ATM", "CEO", "CFO", "CIO", "CMO", "COO", "CTO", "EU",
	"EUR", "EVP", "FAQ", "GBP", "GPS", "HR",  "ID",	 "IT",	"OK",
	"PC",  "PDF", "PIN", "PM",  "PR",  "SMS", "SVP", "TV",	"UK",
	"UN",  "URL", "US",  "USA", "USD", "VP",  NULL
};

const char *const prfaq_abbreviations[] = { "approx", "co",  "corp", "dept",
					    "dr",     "inc", "jr",   "ltd",
					    "mr",     "mrs", "ms",   "prof",
					    "sr",     "st",  "vs",   NULL };
