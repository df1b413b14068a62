# syntax=docker/dockerfile:1
# Build stage: install everything, compile TypeScript to dist/.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY migrations ./migrations
COPY config ./config
RUN npm run build && npm prune --omit=dev --ignore-scripts

# Runtime stage: production dependencies, compiled code and the seed data only; runs as an unprivileged user.
FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production PORT=8080 DATA_DIR=/var/lib/screening
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/src/lists/seed-data ./src/lists/seed-data
COPY --from=build /app/config ./config
RUN mkdir -p /var/lib/screening && chown node:node /var/lib/screening
USER node
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||8080)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
# The API; the worker runs the same image with: node dist/src/worker.js
CMD ["node", "dist/src/main.js"]
