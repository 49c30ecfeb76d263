/*
 * The benchmark's floor: the least a certificate check can do. Connects,
 * runs a TLS handshake without verifying anything, reads the leaf's expiry,
 * prints it, exits. Usage: ref_client ADDRESS PORT SNI
 */
#include <config.h>

#include <netdb.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>

#include <gnutls/gnutls.h>
#include <gnutls/x509.h>

int
main(int argc, char **argv)
{
	struct addrinfo hints = { .ai_socktype = SOCK_STREAM, .ai_flags = AI_NUMERICHOST };
	struct addrinfo *res;
	gnutls_certificate_credentials_t cred;
	gnutls_session_t s;
	gnutls_x509_crt_t crt;
	const gnutls_datum_t *certs;
	unsigned n = 0;
	int fd, rc;

	if (argc != 4 || getaddrinfo(argv[1], argv[2], &hints, &res) != 0)
		return 3;
	fd = socket(res->ai_family, SOCK_STREAM, 0);
	if (fd < 0 || connect(fd, res->ai_addr, res->ai_addrlen) < 0)
		return 2;
	gnutls_certificate_allocate_credentials(&cred);
	gnutls_init(&s, GNUTLS_CLIENT);
	gnutls_set_default_priority(s);
	gnutls_credentials_set(s, GNUTLS_CRD_CERTIFICATE, cred);
	gnutls_server_name_set(s, GNUTLS_NAME_DNS, argv[3], strlen(argv[3]));
	gnutls_transport_set_int(s, fd);
	do
		rc = gnutls_handshake(s);
	while (rc < 0 && !gnutls_error_is_fatal(rc));
	if (rc < 0)
		return 2;
	certs = gnutls_certificate_get_peers(s, &n);
	if (!certs || n == 0 || gnutls_x509_crt_init(&crt) < 0 ||
	    gnutls_x509_crt_import(crt, &certs[0], GNUTLS_X509_FMT_DER) < 0)
		return 2;
	printf("notAfter %lld\n", (long long)gnutls_x509_crt_get_expiration_time(crt));
	gnutls_x509_crt_deinit(crt);
	gnutls_bye(s, GNUTLS_SHUT_WR);
	gnutls_deinit(s);
	gnutls_certificate_free_credentials(cred);
	close(fd);
	freeaddrinfo(res);
	return 0;
}
