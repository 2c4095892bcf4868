FROM node:22-alpine
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
COPY .env.example ./.env.example
COPY .env.template .env.sample ./templates/
COPY src ./src
CMD ["npm", "start"]
