# Definitions for the monitoring engines: an Icinga 2 CheckCommand (with an
# example of its use) and Nagios command definitions. A source install puts
# them under $(datadir)/check_tls_pin, for the administrator to copy or
# include; a distribution package installs them where its engine reads them.
contribicinga2dir = $(datadir)/check_tls_pin/icinga2
dist_contribicinga2_DATA = \
	contrib/icinga2/check_tls_pin.conf \
	contrib/icinga2/example-services.conf
contribnagiosdir = $(datadir)/check_tls_pin/nagios
dist_contribnagios_DATA = contrib/nagios/check_tls_pin.cfg
