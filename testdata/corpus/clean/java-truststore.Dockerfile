FROM eclipse-temurin:17-jdk AS certs
COPY certs/corp-root-ca.crt /usr/local/share/ca-certificates/corp-root-ca.crt
RUN keytool -importcert -noprompt -trustcacerts -alias corp-root \
      -file /usr/local/share/ca-certificates/corp-root-ca.crt \
      -keystore "$JAVA_HOME/lib/security/cacerts" -storepass changeit

FROM eclipse-temurin:17-jre
COPY --from=certs /opt/java/openjdk/lib/security/cacerts /opt/java/openjdk/lib/security/cacerts
COPY target/service.jar /srv/service.jar
CMD ["java", "-jar", "/srv/service.jar"]
