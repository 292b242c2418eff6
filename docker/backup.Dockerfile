# The `backup` service: PostgreSQL 15 client tools (pg_dump must not be older than the server)
# plus gpg, running scripts/backup.sh --daemon as a non-root user. Checked by hadolint.
FROM postgres:15-bookworm
# Debian stable's gnupg (security updates arrive under the same name; pinning one build would
# break the image when the mirror moves on).
# hadolint ignore=DL3008
RUN apt-get update \
 && apt-get install -y --no-install-recommends gnupg \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --create-home --uid 10002 --user-group --shell /usr/sbin/nologin backup-runner \
 && mkdir -p /backups && chown backup-runner:backup-runner /backups
COPY --chmod=0755 scripts/backup.sh scripts/restore.sh /usr/local/bin/
USER 10002:10002
HEALTHCHECK --interval=1h --timeout=10s CMD ["pg_isready", "-q"]
ENTRYPOINT ["/usr/local/bin/backup.sh"]
CMD ["--daemon"]
