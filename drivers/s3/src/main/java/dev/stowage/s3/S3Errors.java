package dev.stowage.s3;

import dev.stowage.api.ForbiddenException;
import dev.stowage.api.InvalidRangeException;
import dev.stowage.api.ObjectNotFoundException;
import dev.stowage.api.ServiceUnavailableException;
import dev.stowage.api.StorageFullException;
import dev.stowage.api.StoreException;
import dev.stowage.api.StoreIOException;
import dev.stowage.api.StoreTimeoutException;
import dev.stowage.api.WriteDeniedException;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.AbortedException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;

import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.Set;

/**
 * Translates SDK and I/O failures into store errors, once, at the driver edge (rule S10). Messages read
 * {@code Cannot <verb> <location>: <reason>}; the cause is kept. 404 is not-found, 403 forbidden (write-denied for an
 * add refused with AccessDenied), 408 a timeout, 429/5xx and throttling codes service-unavailable (retryable).
 */
final class S3Errors {
    private static final Set<String> THROTTLING = Set.of("SlowDown", "Throttling", "ThrottlingException",
            "RequestThrottled", "TooManyRequests", "RequestLimitExceeded", "ServiceUnavailable", "InternalError");

    private S3Errors() {
    }

    /** Whether the failure is an S3 answer with this HTTP status. */
    static boolean isStatus(Throwable error, int status) {
        return error instanceof AwsServiceException service && service.statusCode() == status;
    }

    /** The S3 error code of the failure, or empty text. */
    static String errorCode(Throwable error) {
        if (error instanceof AwsServiceException service) {
            AwsErrorDetails details = service.awsErrorDetails();
            if (details != null && details.errorCode() != null) {
                return details.errorCode();
            }
        }
        return "";
    }

    /**
     * The store error for a failure of {@code verb} on {@code location}.
     *
     * @param write whether the operation wrote (a 403 AccessDenied then means write-denied)
     */
    static StoreException translate(String verb, String location, Throwable error, boolean write) {
        StoreException known = storeException(error);
        if (known != null) {
            return known;
        }
        String prefix = "Cannot " + verb + " " + location + ": ";
        if (error instanceof AwsServiceException service) {
            int status = service.statusCode();
            String code = errorCode(service);
            String reason = describe(service);
            if (status == 404 && "NoSuchUpload".equals(code)) {
                return new StoreIOException(prefix + "the multipart upload was aborted while it was being written ("
                        + reason + ")", error);
            }
            if (status == 404) {
                String what = "NoSuchBucket".equals(code) ? "the bucket does not exist" : "no such object";
                return new ObjectNotFoundException(prefix + what + " (" + reason + ")", error);
            }
            if (status == 403 || status == 401) {
                if (write && "AccessDenied".equals(code)) {
                    return new WriteDeniedException(prefix + "S3 denied the write (" + reason + ")", error);
                }
                return new ForbiddenException(prefix + "S3 refused access (" + reason + ")", error);
            }
            if (status == 416) {
                return new InvalidRangeException(prefix + "S3 rejected the range (" + reason + ")", error);
            }
            if (status == 408 || "RequestTimeout".equals(code)) {
                return new StoreTimeoutException(prefix + "S3 timed out (" + reason + ")", error);
            }
            if (status == 429 || status >= 500 || THROTTLING.contains(code) || service.isThrottlingException()) {
                return new ServiceUnavailableException(prefix + "S3 is unavailable or throttling (" + reason + ")",
                        error);
            }
            if ("EntityTooLarge".equals(code)) {
                return new StorageFullException(prefix + "the object is too large for S3 (" + reason + ")", error);
            }
            return new StoreIOException(prefix + "S3 refused the request (" + reason + ")", error);
        }
        if (has(error, AbortedException.class) || has(error, InterruptedException.class)
                || (has(error, InterruptedIOException.class) && !has(error, SocketTimeoutException.class))) {
            return new StoreIOException(prefix + "interrupted", error);
        }
        if (has(error, ApiCallTimeoutException.class) || has(error, ApiCallAttemptTimeoutException.class)
                || has(error, SocketTimeoutException.class)) {
            return new StoreTimeoutException(prefix + "S3 did not answer in time (" + message(error) + ")", error);
        }
        if (has(error, ConnectException.class) || has(error, UnknownHostException.class)
                || has(error, NoRouteToHostException.class)) {
            return new ServiceUnavailableException(prefix + "cannot reach S3 (" + message(error) + ")", error);
        }
        return new StoreIOException(prefix + message(error), error);
    }

    /** A store error somewhere in the cause chain (for example a size error raised while the SDK read the data). */
    static StoreException storeException(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof StoreException store) {
                return store;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return null;
    }

    static boolean has(Throwable error, Class<? extends Throwable> type) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }

    private static String describe(AwsServiceException service) {
        StringBuilder text = new StringBuilder("HTTP ").append(service.statusCode());
        AwsErrorDetails details = service.awsErrorDetails();
        if (details != null && details.errorCode() != null) {
            text.append(' ').append(details.errorCode());
        }
        if (details != null && details.errorMessage() != null && !details.errorMessage().isBlank()) {
            text.append(": ").append(details.errorMessage());
        }
        if (service.requestId() != null) {
            text.append(", request id ").append(service.requestId());
        }
        return text.toString();
    }

    private static String message(Throwable error) {
        String message = error.getMessage();
        return message == null || message.isBlank() ? error.getClass().getSimpleName() : message;
    }
}
