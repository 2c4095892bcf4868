# The classic: a registry token passed as a build arg and kept in ENV.
FROM node:22-alpine AS build
# want "build arg NPM_TOKEN carries a credential"
ARG NPM_TOKEN
# want "ENV NPM_TOKEN copies build arg NPM_TOKEN into the image config"
ENV NPM_TOKEN=$NPM_TOKEN
WORKDIR /app
# want warning "COPY may copy .npmrc"
COPY .npmrc package.json package-lock.json ./
RUN npm ci
COPY . .
RUN npm run build

FROM node:22-alpine
COPY --from=build /app/dist /app
CMD ["node", "/app/index.js"]
