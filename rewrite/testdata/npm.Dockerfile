# syntax=registry.example.com/tightlip:1
FROM node:22-alpine AS build
# The token reaches npm through .npmrc's ${NPM_TOKEN}.
ARG NPM_TOKEN
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
RUN npm ci
COPY . .
RUN npm run build

FROM nginx:1.27-alpine
COPY --from=build /app/dist /usr/share/nginx/html
