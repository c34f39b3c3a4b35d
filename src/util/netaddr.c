/*
 * netaddr.c - address classification (see prfaq/netaddr.h).
 *
 * Each family is a short table of prefixes, tried in order: the first that
 * matches decides.  The tables are the whole policy, so the header's list
 * and these stay one to one.
 */
#include "prfaq/netaddr.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>

struct prefix {
	uint8_t bytes[16];
	unsigned bits;
	enum prfaq_netaddr_class class;
};

static const struct prefix v4[] = {
	{ { 0 }, 8, PRFAQ_NETADDR_UNSPECIFIED },
	{ { 10 }, 8, PRFAQ_NETADDR_PRIVATE },
	{ { 100, 64 }, 10, PRFAQ_NETADDR_SHARED },
	{ { 127 }, 8, PRFAQ_NETADDR_LOOPBACK },
	{ { 169, 254 }, 16, PRFAQ_NETADDR_LINK_LOCAL },
	{ { 172, 16 }, 12, PRFAQ_NETADDR_PRIVATE },
	{ { 192, 0, 0 }, 24, PRFAQ_NETADDR_RESERVED },
	{ { 192, 0, 2 }, 24, PRFAQ_NETADDR_RESERVED },
	{ { 192, 88, 99 }, 24, PRFAQ_NETADDR_RESERVED },
	{ { 192, 168 }, 16, PRFAQ_NETADDR_PRIVATE },
	{ { 198, 18 }, 15, PRFAQ_NETADDR_RESERVED },
	{ { 198, 51, 100 }, 24, PRFAQ_NETADDR_RESERVED },
	{ { 203, 0, 113 }, 24, PRFAQ_NETADDR_RESERVED },
	{ { 224 }, 4, PRFAQ_NETADDR_MULTICAST },
	{ { 240 }, 4, PRFAQ_NETADDR_RESERVED },
};

/* After the exact ::, ::1 and the prefixes that embed IPv4 (class6()). */
static const struct prefix v6[] = {
	{ { 0x00, 0x64, 0xff, 0x9b, 0x00, 0x01 }, 48, PRFAQ_NETADDR_PRIVATE },
	{ { 0 }, 8, PRFAQ_NETADDR_RESERVED },
	{ { 0x01 }, 64, PRFAQ_NETADDR_RESERVED },
	{ { 0x20, 0x01, 0x0d, 0xb8 }, 32, PRFAQ_NETADDR_RESERVED },
	{ { 0x20, 0x01 }, 23, PRFAQ_NETADDR_RESERVED },
	{ { 0x3f, 0xff }, 20, PRFAQ_NETADDR_RESERVED },
	{ { 0xfc }, 7, PRFAQ_NETADDR_PRIVATE },
	{ { 0xfe, 0x80 }, 10, PRFAQ_NETADDR_LINK_LOCAL },
	{ { 0xfe, 0xc0 }, 10, PRFAQ_NETADDR_PRIVATE },
	{ { 0xff }, 8, PRFAQ_NETADDR_MULTICAST },
};

static const uint8_t v4_mapped[12] = {
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff
};
static const uint8_t nat64[12] = { 0x00, 0x64, 0xff, 0x9b };

/* Do the first p->bits bits of a equal the prefix's? */
static int
prefix_match(const uint8_t *a, const struct prefix *p)
{
	unsigned whole = p->bits / 8, rest = p->bits % 8;

	if (memcmp(a, p->bytes, whole) != 0)
		return 0;
	if (rest == 0)
		return 1;
	return ((a[whole] ^ p->bytes[whole]) & (uint8_t)(0xff << (8 - rest))) ==
	       0;
}

static enum prfaq_netaddr_class
classify(const uint8_t *a, const struct prefix *table, size_t n,
	 enum prfaq_netaddr_class otherwise)
{
	for (size_t i = 0; i < n; i++)
		if (prefix_match(a, &table[i]))
			return table[i].class;
	return otherwise;
}

enum prfaq_netaddr_class
prfaq_netaddr_class4(const uint8_t a[4])
{
	return classify(a, v4, sizeof(v4) / sizeof(v4[0]),
			PRFAQ_NETADDR_PUBLIC);
}

/*
 * IPv6: the two exact addresses, then the forms that lead to an IPv4
 * address (judged as that address), then the table; what is left is
 * public only inside 2000::/3.
 */
enum prfaq_netaddr_class
prfaq_netaddr_class6(const uint8_t a[16])
{
	static const uint8_t zero[15];

	if (memcmp(a, zero, 15) == 0 && a[15] <= 1)
		return a[15] == 0 ? PRFAQ_NETADDR_UNSPECIFIED :
				    PRFAQ_NETADDR_LOOPBACK;
	if (memcmp(a, v4_mapped, 12) == 0 || memcmp(a, nat64, 12) == 0)
		return prfaq_netaddr_class4(a + 12);
	if (a[0] == 0x20 && a[1] == 0x02) /* 6to4: 2002:aabb:ccdd::/48 */
		return prfaq_netaddr_class4(a + 2);
	return classify(a, v6, sizeof(v6) / sizeof(v6[0]),
			(a[0] & 0xe0) == 0x20 ? PRFAQ_NETADDR_PUBLIC :
						PRFAQ_NETADDR_RESERVED);
}

enum prfaq_netaddr_class
prfaq_netaddr_class_sockaddr(const struct sockaddr *sa, size_t len)
{
	if (sa == NULL)
		return PRFAQ_NETADDR_RESERVED;
	if (sa->sa_family == AF_INET && len >= sizeof(struct sockaddr_in)) {
		const struct sockaddr_in *in = (const struct sockaddr_in *)sa;

		return prfaq_netaddr_class4((const uint8_t *)&in->sin_addr);
	}
	if (sa->sa_family == AF_INET6 && len >= sizeof(struct sockaddr_in6)) {
		const struct sockaddr_in6 *in6 =
			(const struct sockaddr_in6 *)sa;

		return prfaq_netaddr_class6(in6->sin6_addr.s6_addr);
	}
	return PRFAQ_NETADDR_RESERVED;
}

int
prfaq_netaddr_class_text(const char *text, enum prfaq_netaddr_class *out)
{
	uint8_t a[16];

	if (inet_pton(AF_INET, text, a) == 1) {
		*out = prfaq_netaddr_class4(a);
		return 0;
	}
	if (inet_pton(AF_INET6, text, a) == 1) {
		*out = prfaq_netaddr_class6(a);
		return 0;
	}
	return -1;
}

const char *
prfaq_netaddr_class_name(enum prfaq_netaddr_class c)
{
	switch (c) {
	case PRFAQ_NETADDR_PUBLIC:
		return "public";
	case PRFAQ_NETADDR_UNSPECIFIED:
		return "unspecified";
	case PRFAQ_NETADDR_LOOPBACK:
		return "loopback";
	case PRFAQ_NETADDR_PRIVATE:
		return "private";
	case PRFAQ_NETADDR_SHARED:
		return "shared (carrier-grade NAT)";
	case PRFAQ_NETADDR_LINK_LOCAL:
		return "link-local";
	case PRFAQ_NETADDR_MULTICAST:
		return "multicast";
	case PRFAQ_NETADDR_RESERVED:
		break;
	}
	return "reserved";
}
