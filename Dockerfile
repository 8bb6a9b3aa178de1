# One image for the four Switchboard services; the command picks the service:
#   node dist/apps/gateway/src/main.js | inbox | email-connector | telegram-connector
# (docker-compose.yml sets it per service). Build: docker build -t switchboard .

# ---- build: install everything, compile TypeScript, keep only runtime dependencies ----
FROM node:20-slim AS build
WORKDIR /app
ENV npm_config_update_notifier=false npm_config_fund=false npm_config_audit=false
COPY package.json package-lock.json ./
RUN npm ci
COPY tsconfig.json tsconfig.build.json nest-cli.json ./
COPY libs ./libs
COPY apps ./apps
RUN npx tsc -p tsconfig.build.json \
 && npm prune --omit=dev

# ---- runtime: Node 20 slim, non-root ----
FROM node:20-slim AS runtime
ENV NODE_ENV=production \
    BLOB_DIR=/var/lib/switchboard/blobs
WORKDIR /app
# the blob volume is mounted here; creating it owned by `node` makes a fresh named volume writable
RUN mkdir -p /var/lib/switchboard/blobs && chown -R node:node /var/lib/switchboard
COPY --from=build --chown=root:root /app/package.json ./package.json
COPY --from=build --chown=root:root /app/node_modules ./node_modules
COPY --from=build --chown=root:root /app/dist ./dist
USER node
EXPOSE 3000 3001 3002 3003
STOPSIGNAL SIGTERM
CMD ["node", "dist/apps/gateway/src/main.js"]
