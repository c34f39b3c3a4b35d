/*
 * netaddr.h - what kind of address is this?  Pure classification of IPv4
 * and IPv6 addresses, for the webhook sender, which must never be turned
 * into a probe of the network prfaqd runs in (loopback services, the cloud
 * metadata address, private hosts).
 *
 * Everything that is not PRFAQ_NETADDR_PUBLIC is refused as a webhook
 * target.  The ranges (IANA special-purpose registries, RFC 6890):
 *
 *   unspecified  0.0.0.0/8, ::/128
 *   loopback     127.0.0.0/8, ::1/128
 *   private      10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16, fc00::/7,
 *                fec0::/10 (deprecated site-local), 64:ff9b:1::/48
 *                (local-use NAT64)
 *   shared       100.64.0.0/10 (carrier-grade NAT)
 *   link-local   169.254.0.0/16 (with 169.254.169.254, the metadata
 *                service of most clouds), fe80::/10
 *   multicast    224.0.0.0/4, ff00::/8
 *   reserved     192.0.0.0/24 (IETF protocol assignments), 192.0.2.0/24,
 *                198.51.100.0/24, 203.0.113.0/24 (documentation),
 *                192.88.99.0/24 (deprecated 6to4 relays), 198.18.0.0/15
 *                (benchmarking), 240.0.0.0/4 (future use, with the
 *                broadcast address); in IPv6 the rest of ::/8, 100::/64
 *                (discard), 2001::/23 (IETF protocol assignments: Teredo,
 *                benchmarking, ORCHID...), 2001:db8::/32 and 3fff::/20
 *                (documentation), and everything outside 2000::/3, the
 *                only space allocated for global unicast.
 *
 * An IPv6 address that carries an IPv4 address is the IPv4 address's
 * class: IPv4-mapped ::ffff:a.b.c.d, NAT64 64:ff9b::a.b.c.d (RFC 6052: the
 * translator connects to a.b.c.d) and 6to4 2002:aabb:ccdd::/48.
 */
#ifndef PRFAQ_NETADDR_H
#define PRFAQ_NETADDR_H

#include <stddef.h>
#include <stdint.h>

struct sockaddr;

enum prfaq_netaddr_class {
	PRFAQ_NETADDR_PUBLIC = 0,
	PRFAQ_NETADDR_UNSPECIFIED,
	PRFAQ_NETADDR_LOOPBACK,
	PRFAQ_NETADDR_PRIVATE,
	PRFAQ_NETADDR_SHARED,
	PRFAQ_NETADDR_LINK_LOCAL,
	PRFAQ_NETADDR_MULTICAST,
	PRFAQ_NETADDR_RESERVED,
};

/* An IPv4 address, in network byte order (a[0] is the first octet). */
enum prfaq_netaddr_class prfaq_netaddr_class4(const uint8_t a[4]);

/* An IPv6 address, in network byte order. */
enum prfaq_netaddr_class prfaq_netaddr_class6(const uint8_t a[16]);

/*
 * A socket address of len bytes: AF_INET or AF_INET6; any other family
 * (or a short length) is PRFAQ_NETADDR_RESERVED, never public.
 */
enum prfaq_netaddr_class prfaq_netaddr_class_sockaddr(const struct sockaddr *sa,
						      size_t len);

/*
 * A literal address in text: dotted-quad IPv4 or IPv6 (no brackets, no zone).
 * 0 with *out set, or -1 when text is no such literal.
 */
int prfaq_netaddr_class_text(const char *text, enum prfaq_netaddr_class *out);

/* "public", "loopback", "private", "shared", "link-local", ... (static). */
const char *prfaq_netaddr_class_name(enum prfaq_netaddr_class c);

#endif
