#!/bin/sh
# The entrypoint of Slipway's offline redis image, as the official image's.
set -e

# An option or a config file first means "redis-server with it".
if [ "${1#-}" != "$1" ] || [ "${1%.conf}" != "$1" ]; then
	set -- redis-server "$@"
fi

if [ "$1" = redis-server ]; then
	# Run as root: hand /data to the redis user, then come back as it.
	if [ "$(id -u)" = 0 ]; then
		find . ! -user redis -exec chown redis:redis '{}' +
		exec su -p -s /bin/sh -c 'exec "$0" "$@"' redis -- "$0" "$@"
	fi
	# Debian's redis-server has protected mode on; the official image's is off unless a config says so.
	case "${2:-}" in
	*.conf | -v | --version | -h | --help | --test-memory | --check-system) ;;
	*)
		shift
		set -- redis-server --protected-mode no "$@"
		;;
	esac
	if [ "$(umask)" = 0022 ]; then
		umask 0077
	fi
fi

exec "$@"
