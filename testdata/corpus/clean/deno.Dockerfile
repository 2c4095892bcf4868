FROM denoland/deno:2.0.6
WORKDIR /app
COPY deno.json deno.lock ./
RUN deno install --frozen
COPY . .
RUN deno cache main.ts
USER deno
CMD ["run", "--allow-net", "--allow-env=API_BASE_URL,PORT", "main.ts"]
