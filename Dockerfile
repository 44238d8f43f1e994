# transport-bench as an image: `serve` by default, any command as arguments
# (docker run --rm transport-bench:local run --target http://…). deploy/kubernetes/ uses it.

# Build: every dependency, to compile the TypeScript. The sources are copied after `npm ci`
# so that layer is cached; --ignore-scripts because `prepare` runs tsc, which has nothing to
# compile yet (it runs below, once the sources are in).
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts
COPY tsconfig.json ./
COPY src ./src
COPY test ./test
COPY bench ./bench
RUN npx tsc -p .

# Run: production dependencies only, the compiled sources, a user that is not root.
# --ignore-scripts again: without the dev dependencies `prepare` (tsc) could not run, and no
# production dependency needs an install script.
FROM node:20-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts && npm cache clean --force
COPY --from=build /app/dist/src ./dist/src
COPY bin ./bin
COPY scenarios ./scenarios
# uid 1000 is the image's `node` user; numeric, so Kubernetes' runAsNonRoot can check it.
USER 1000:1000
EXPOSE 8080
ENTRYPOINT ["node", "bin/transport-bench.js"]
CMD ["serve", "--host", "0.0.0.0", "--port", "8080"]
