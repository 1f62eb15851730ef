# The service image: the same build runs the API (`--role api`) and the projector (`--role projector`).
# Node 24 (LTS). Built as package.json builds it (`npm run build`, tsc -p tsconfig.build.json).
ARG NODE_IMAGE=node:24-bookworm-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /app
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci
COPY tsconfig.json tsconfig.build.json nest-cli.json ./
COPY src ./src
COPY portal ./portal
COPY scripts/build-portal.js ./scripts/build-portal.js
COPY rulebook ./rulebook
RUN npm run build && npm prune --omit=dev

FROM ${NODE_IMAGE}
WORKDIR /app
ENV NODE_ENV=production HOST=0.0.0.0 PORT=3000 DATA_DIR=/data
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/package.json ./
COPY scripts/built.js ./scripts/built.js
COPY rulebook ./rulebook
# DATA_DIR belongs to the user the service runs as: the embedded stores and, when a secret is not
# given in the environment, secrets.json live there. A named volume mounted here starts as a copy
# of this directory, owner included.
RUN mkdir -p /data && chown node:node /data && chmod 0700 /data
VOLUME /data
EXPOSE 3000
USER node
# A development token: `npm run token -- --role agent` (scripts/built.js runs the built CLI; no src/ here).
CMD ["node", "dist/src/main.js"]
