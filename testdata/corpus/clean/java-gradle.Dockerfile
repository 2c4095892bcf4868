FROM gradle:8.10-jdk21 AS build
WORKDIR /home/gradle/project
COPY --chown=gradle:gradle settings.gradle.kts build.gradle.kts gradle.properties ./
COPY --chown=gradle:gradle gradle gradle
RUN --mount=type=secret,id=gradle_props,target=/home/gradle/.gradle/gradle.properties,uid=1000 \
    gradle dependencies --no-daemon
COPY --chown=gradle:gradle src src
RUN gradle bootJar --no-daemon

FROM eclipse-temurin:21-jre
COPY --from=build /home/gradle/project/build/libs/*.jar /opt/app.jar
EXPOSE 8080
ENTRYPOINT ["java", "-jar", "/opt/app.jar"]
