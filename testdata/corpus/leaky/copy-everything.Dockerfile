FROM node:20
WORKDIR /usr/src/app
COPY package*.json ./
RUN npm install
# want error "COPY \. copies credential files from the build context into the image: \.env \(environment file with credentials\), \.npmrc \(npm registry credentials\), deploy/id_ed25519 \(SSH private key\)"
COPY . .
EXPOSE 8080
CMD ["node", "server.js"]
