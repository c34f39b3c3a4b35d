/*
 * test_netaddr.c - address classification (src/util/netaddr.c): every
 * refused range at its first and last address and just outside both ends,
 * the IPv6 forms that carry an IPv4 address, and socket addresses.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>

#include "prfaq/netaddr.h"

#define PUB    PRFAQ_NETADDR_PUBLIC
#define UNSPEC PRFAQ_NETADDR_UNSPECIFIED
#define LOOP   PRFAQ_NETADDR_LOOPBACK
#define PRIV   PRFAQ_NETADDR_PRIVATE
#define SHARED PRFAQ_NETADDR_SHARED
#define LINK   PRFAQ_NETADDR_LINK_LOCAL
#define MCAST  PRFAQ_NETADDR_MULTICAST
#define RSVD   PRFAQ_NETADDR_RESERVED

struct want {
	const char *text;
	enum prfaq_netaddr_class class;
};

static void
expect_all(const struct want *w, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		enum prfaq_netaddr_class c = PUB;

		if (prfaq_netaddr_class_text(w[i].text, &c) != 0) {
			print_error("%s: not parsed as an address\n",
				    w[i].text);
			fail();
		}
		if (c != w[i].class) {
			print_error("%s: %s, want %s\n", w[i].text,
				    prfaq_netaddr_class_name(c),
				    prfaq_netaddr_class_name(w[i].class));
			fail();
		}
	}
}

#define EXPECT_ALL(w) expect_all(w, sizeof(w) / sizeof(w[0]))

/* Each IPv4 range: first, last, and the neighbours outside it. */
static void
test_ipv4_ranges(void **state)
{
	static const struct want w[] = {
		{ "0.0.0.0", UNSPEC },
		{ "0.255.255.255", UNSPEC },
		{ "1.0.0.0", PUB },
		{ "1.1.1.1", PUB },
		{ "8.8.8.8", PUB },
		{ "9.255.255.255", PUB },
		{ "10.0.0.0", PRIV },
		{ "10.1.2.3", PRIV },
		{ "10.255.255.255", PRIV },
		{ "11.0.0.0", PUB },
		{ "100.63.255.255", PUB },
		{ "100.64.0.0", SHARED },
		{ "100.100.100.200", SHARED },
		{ "100.127.255.255", SHARED },
		{ "100.128.0.0", PUB },
		{ "126.255.255.255", PUB },
		{ "127.0.0.0", LOOP },
		{ "127.0.0.1", LOOP },
		{ "127.1.2.3", LOOP },
		{ "127.255.255.255", LOOP },
		{ "128.0.0.0", PUB },
		{ "169.253.255.255", PUB },
		{ "169.254.0.0", LINK },
		{ "169.254.169.254", LINK },
		{ "169.254.255.255", LINK },
		{ "169.255.0.0", PUB },
		{ "172.15.255.255", PUB },
		{ "172.16.0.0", PRIV },
		{ "172.20.1.1", PRIV },
		{ "172.31.255.255", PRIV },
		{ "172.32.0.0", PUB },
		{ "191.255.255.255", PUB },
		{ "192.0.0.0", RSVD },
		{ "192.0.0.255", RSVD },
		{ "192.0.1.0", PUB },
		{ "192.0.2.0", RSVD },
		{ "192.0.2.255", RSVD },
		{ "192.0.3.0", PUB },
		{ "192.88.98.255", PUB },
		{ "192.88.99.0", RSVD },
		{ "192.88.99.255", RSVD },
		{ "192.88.100.0", PUB },
		{ "192.167.255.255", PUB },
		{ "192.168.0.0", PRIV },
		{ "192.168.1.1", PRIV },
		{ "192.168.255.255", PRIV },
		{ "192.169.0.0", PUB },
		{ "198.17.255.255", PUB },
		{ "198.18.0.0", RSVD },
		{ "198.19.255.255", RSVD },
		{ "198.20.0.0", PUB },
		{ "198.51.99.255", PUB },
		{ "198.51.100.0", RSVD },
		{ "198.51.100.255", RSVD },
		{ "198.51.101.0", PUB },
		{ "203.0.112.255", PUB },
		{ "203.0.113.0", RSVD },
		{ "203.0.113.255", RSVD },
		{ "203.0.114.0", PUB },
		{ "223.255.255.255", PUB },
		{ "224.0.0.0", MCAST },
		{ "224.0.0.251", MCAST },
		{ "239.255.255.255", MCAST },
		{ "240.0.0.0", RSVD },
		{ "255.255.255.254", RSVD },
		{ "255.255.255.255", RSVD },
	};

	(void)state;
	EXPECT_ALL(w);
}

static void
test_ipv6_ranges(void **state)
{
	static const struct want w[] = {
		{ "::", UNSPEC },
		{ "::1", LOOP },
		{ "::2", RSVD },
		{ "0:0:0:0:0:0:0:1", LOOP },
		/* IPv4-compatible (deprecated) and the rest of ::/8 */
		{ "::127.0.0.1", RSVD },
		{ "::8.8.8.8", RSVD },
		{ "::ffff:0:8.8.8.8", RSVD },
		{ "ff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", RSVD },
		/* unallocated, outside 2000::/3 */
		{ "100:0:0:1::", RSVD },
		{ "1fff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", RSVD },
		{ "4000::1", RSVD },
		{ "5f00::1", RSVD },
		{ "e000::1", RSVD },
		{ "fbff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", RSVD },
		/* discard-only 100::/64 */
		{ "100::", RSVD },
		{ "100::ffff:ffff:ffff:ffff", RSVD },
		/* global unicast and its special parts */
		{ "2000::", PUB },
		{ "2001::", RSVD }, /* Teredo */
		{ "2001:0:4136:e378:8000:63bf:3fff:fdd2", RSVD },
		{ "2001:2::1", RSVD }, /* benchmarking */
		{ "2001:1ff:ffff:ffff:ffff:ffff:ffff:ffff", RSVD },
		{ "2001:200::", PUB }, /* just past 2001::/23 */
		{ "2001:4860:4860::8888", PUB },
		{ "2001:db7:ffff:ffff:ffff:ffff:ffff:ffff", PUB },
		{ "2001:db8::", RSVD },
		{ "2001:db8:ffff:ffff:ffff:ffff:ffff:ffff", RSVD },
		{ "2001:db9::", PUB },
		{ "2606:4700:4700::1111", PUB },
		{ "2a00:1450:4001:81c::200e", PUB },
		{ "3ffe:ffff:ffff:ffff:ffff:ffff:ffff:ffff", PUB },
		{ "3fff::", RSVD },
		{ "3fff:fff:ffff:ffff:ffff:ffff:ffff:ffff", RSVD },
		{ "3fff:1000::", PUB },
		{ "3fff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", PUB },
		/* unique local, site-local, link-local, multicast */
		{ "fc00::", PRIV },
		{ "fd12:3456:789a::1", PRIV },
		{ "fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", PRIV },
		{ "fe00::", RSVD },
		{ "fe7f:ffff:ffff:ffff:ffff:ffff:ffff:ffff", RSVD },
		{ "fe80::", LINK },
		{ "fe80::1", LINK },
		{ "febf:ffff:ffff:ffff:ffff:ffff:ffff:ffff", LINK },
		{ "fec0::", PRIV },
		{ "feff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", PRIV },
		{ "ff00::", MCAST },
		{ "ff02::1", MCAST },
		{ "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", MCAST },
	};

	(void)state;
	EXPECT_ALL(w);
}

/* IPv6 that leads to an IPv4 address is that address. */
static void
test_ipv6_carrying_ipv4(void **state)
{
	static const struct want w[] = {
		/* IPv4-mapped */
		{ "::ffff:127.0.0.1", LOOP },
		{ "::ffff:7f00:1", LOOP },
		{ "::ffff:10.0.0.1", PRIV },
		{ "::ffff:172.16.0.1", PRIV },
		{ "::ffff:192.168.0.1", PRIV },
		{ "::ffff:169.254.169.254", LINK },
		{ "::ffff:100.64.0.1", SHARED },
		{ "::ffff:0.0.0.0", UNSPEC },
		{ "::ffff:224.0.0.1", MCAST },
		{ "::ffff:255.255.255.255", RSVD },
		{ "::ffff:8.8.8.8", PUB },
		{ "0:0:0:0:0:ffff:808:808", PUB },
		/* NAT64 well-known prefix */
		{ "64:ff9b::127.0.0.1", LOOP },
		{ "64:ff9b::10.1.1.1", PRIV },
		{ "64:ff9b::169.254.169.254", LINK },
		{ "64:ff9b::8.8.8.8", PUB },
		{ "64:ff9b::1:0:0", RSVD }, /* outside the /96: ::/8 */
		/* local-use NAT64 */
		{ "64:ff9b:1::8.8.8.8", PRIV },
		{ "64:ff9b:1:ffff:ffff:ffff:ffff:ffff", PRIV },
		/* 6to4 */
		{ "2002:7f00:1::", LOOP },
		{ "2002:a00:1::1", PRIV },
		{ "2002:a9fe:a9fe::", LINK },
		{ "2002:c0a8:101::1", PRIV },
		{ "2002::", UNSPEC },
		{ "2002:808:808::1", PUB },
	};

	(void)state;
	EXPECT_ALL(w);
}

/* Only literal addresses in their one canonical spelling family. */
static void
test_text_that_is_no_address(void **state)
{
	static const char *const bad[] = {
		"",
		"localhost",
		"example.com",
		"127.1",
		"2130706433",
		"0x7f.0.0.1",
		"[::1]",
		"::1%lo",
		"1.2.3.4.5",
		"256.0.0.1",
		" 127.0.0.1",
		"127.0.0.1 ",
		"::ffff:127.0.0.1:80",
		"fe80::1::2",
	};
	enum prfaq_netaddr_class c = PUB;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (prfaq_netaddr_class_text(bad[i], &c) != -1) {
			print_error("\"%s\" was taken for an address\n",
				    bad[i]);
			fail();
		}
	}
}

static void
test_sockaddr(void **state)
{
	struct sockaddr_in in = { .sin_family = AF_INET };
	struct sockaddr_in6 in6 = { .sin6_family = AF_INET6 };
	struct sockaddr_un un = { .sun_family = AF_UNIX };

	(void)state;
	inet_pton(AF_INET, "127.0.0.1", &in.sin_addr);
	assert_int_equal(prfaq_netaddr_class_sockaddr((struct sockaddr *)&in,
						      sizeof(in)),
			 LOOP);
	inet_pton(AF_INET, "93.184.216.34", &in.sin_addr);
	assert_int_equal(prfaq_netaddr_class_sockaddr((struct sockaddr *)&in,
						      sizeof(in)),
			 PUB);
	/* Too short to hold what it claims: never public. */
	assert_int_equal(prfaq_netaddr_class_sockaddr((struct sockaddr *)&in,
						      sizeof(in) - 1),
			 RSVD);
	inet_pton(AF_INET6, "::ffff:169.254.169.254", &in6.sin6_addr);
	assert_int_equal(prfaq_netaddr_class_sockaddr((struct sockaddr *)&in6,
						      sizeof(in6)),
			 LINK);
	inet_pton(AF_INET6, "2606:4700:4700::1111", &in6.sin6_addr);
	assert_int_equal(prfaq_netaddr_class_sockaddr((struct sockaddr *)&in6,
						      sizeof(in6)),
			 PUB);
	assert_int_equal(prfaq_netaddr_class_sockaddr((struct sockaddr *)&un,
						      sizeof(un)),
			 RSVD);
	assert_int_equal(prfaq_netaddr_class_sockaddr(NULL, 0), RSVD);
}

static void
test_names(void **state)
{
	(void)state;
	assert_string_equal(prfaq_netaddr_class_name(PUB), "public");
	assert_string_equal(prfaq_netaddr_class_name(LOOP), "loopback");
	assert_string_equal(prfaq_netaddr_class_name(LINK), "link-local");
	assert_string_equal(prfaq_netaddr_class_name(RSVD), "reserved");
	assert_string_equal(
		prfaq_netaddr_class_name((enum prfaq_netaddr_class)99),
		"reserved");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ipv4_ranges),
		cmocka_unit_test(test_ipv6_ranges),
		cmocka_unit_test(test_ipv6_carrying_ipv4),
		cmocka_unit_test(test_text_that_is_no_address),
		cmocka_unit_test(test_sockaddr),
		cmocka_unit_test(test_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
