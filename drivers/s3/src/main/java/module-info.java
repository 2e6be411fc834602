/**
 * The S3 store driver on the AWS SDK for Java v2 (type {@code s3}).
 */
module dev.stowage.s3 {
    requires dev.stowage.api;
    requires software.amazon.awssdk.services.s3;
    requires software.amazon.awssdk.core;
    requires software.amazon.awssdk.awscore;
    requires software.amazon.awssdk.auth;
    requires software.amazon.awssdk.regions;
    requires software.amazon.awssdk.http;
    requires software.amazon.awssdk.http.apache5;
    requires software.amazon.awssdk.utils;
    requires software.amazon.awssdk.identity.spi;

    exports dev.stowage.s3;

    provides dev.stowage.spi.StoreDriver with dev.stowage.s3.S3StoreDriver;
}
