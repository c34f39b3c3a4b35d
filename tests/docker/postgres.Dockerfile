# PostgreSQL 15 from Debian's own package, for tests/docker/run: this machine
# cannot pull the official postgres image.  It honours the same variables as
# the official image (POSTGRES_USER, POSTGRES_PASSWORD, POSTGRES_DB, PGDATA),
# so docker/compose.yaml works with either (POSTGRES_IMAGE=...).
FROM debian:bookworm-slim
# No default cluster: the entrypoint runs initdb into $PGDATA on first start.
RUN mkdir -p /etc/postgresql-common/createcluster.d \
 && echo 'create_main_cluster = false' > /etc/postgresql-common/createcluster.d/no-main-cluster.conf \
 && apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends postgresql-15 \
 && rm -rf /var/lib/apt/lists/* /var/cache/apt/archives/*.deb \
 && mkdir -p /var/lib/postgresql/data /var/run/postgresql \
 && chown postgres:postgres /var/lib/postgresql/data /var/run/postgresql \
 && chmod 0700 /var/lib/postgresql/data
COPY postgres-entrypoint.sh /usr/local/bin/postgres-entrypoint
ENV PATH=/usr/lib/postgresql/15/bin:$PATH \
    PGDATA=/var/lib/postgresql/data
USER postgres
VOLUME /var/lib/postgresql/data
EXPOSE 5432
STOPSIGNAL SIGINT
ENTRYPOINT ["postgres-entrypoint"]
CMD ["-c", "listen_addresses=*"]
