/*
 * target.c - may a webhook deliver there? (see prfaq/webhooks.h)
 *
 * The registration-time half of the address policy: the host is taken from
 * the URL by libcurl's own parser, so that what is checked is what the
 * sender will connect to ("http://2130706433/", "http://0x7f.1/" and
 * "http://%31%32%37.0.0.1/" are all 127.0.0.1 to libcurl).  The sender
 * checks each connection again (sender.c), which is what stops DNS
 * rebinding; this half gives the admin a 400 instead of a webhook that
 * can never deliver.
 */
#include <curl/curl.h>
#include <netdb.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "prfaq/netaddr.h"
#include "prfaq/webhooks.h"

/*
 * The first non-public class among host's addresses, PRFAQ_NETADDR_PUBLIC
 * when all are public, or when the name does not resolve (now).  host has
 * no brackets.  A literal address is parsed by getaddrinfo without asking
 * any resolver; "localhost" comes from /etc/hosts.
 */
static enum prfaq_netaddr_class
host_class(const char *host)
{
	struct addrinfo hints, *res = NULL;
	enum prfaq_netaddr_class c = PRFAQ_NETADDR_PUBLIC;

	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	if (getaddrinfo(host, NULL, &hints, &res) != 0)
		return PRFAQ_NETADDR_PUBLIC;
	for (const struct addrinfo *a = res; a != NULL; a = a->ai_next) {
		c = prfaq_netaddr_class_sockaddr(a->ai_addr, a->ai_addrlen);
		if (c != PRFAQ_NETADDR_PUBLIC)
			break;
	}
	freeaddrinfo(res);
	return c;
}

bool
prfaq_webhook_target_allowed(const char *url, bool allow_private, char *why,
			     size_t cap)
{
	CURLU *u = curl_url();
	char *host = NULL;
	const char *name;
	size_t len;
	enum prfaq_netaddr_class c;
	bool ok = false;

	if (u == NULL) {
		snprintf(why, cap, "cannot be checked now (out of memory)");
		goto out;
	}
	if (curl_url_set(u, CURLUPART_URL, url, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK ||
	    host[0] == '\0') {
		snprintf(why, cap,
			 "is not a URL a webhook can be delivered to");
		goto out;
	}
	if (allow_private) {
		ok = true;
		goto out;
	}
	/* libcurl gives an IPv6 host in brackets (and its zone apart). */
	name = host;
	len = strlen(host);
	if (len >= 2 && host[0] == '[' && host[len - 1] == ']') {
		host[len - 1] = '\0';
		name = host + 1;
	}
	c = host_class(name);
	if (c != PRFAQ_NETADDR_PUBLIC) {
		snprintf(
			why, cap,
			"the host %.100s is or resolves to a %s address; webhooks "
			"may only target public addresses (an operator can allow "
			"others with PRFAQ_WEBHOOK_ALLOW_PRIVATE=1)",
			name, prfaq_netaddr_class_name(c));
		goto out;
	}
	ok = true;
out:
	curl_free(host);
	curl_url_cleanup(u);
	return ok;
}
