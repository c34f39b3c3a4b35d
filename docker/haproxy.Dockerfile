# HAProxy (Debian's, 2.6) with docker/haproxy.cfg, for docker/compose.replicas.yaml.
# Build context: docker/ (the root's .dockerignore admits only prfaqd's sources).
FROM debian:bookworm-slim
RUN apt-get update \
    && apt-get install -y --no-install-recommends haproxy \
    && rm -rf /var/lib/apt/lists/*
COPY haproxy.cfg /etc/haproxy/haproxy.cfg
USER haproxy
EXPOSE 8080
# SIGUSR1: finish the connections in flight, then exit.
STOPSIGNAL SIGUSR1
CMD ["haproxy", "-W", "-db", "-f", "/etc/haproxy/haproxy.cfg"]
