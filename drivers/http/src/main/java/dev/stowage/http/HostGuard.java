package dev.stowage.http;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

import static java.util.Objects.requireNonNull;

/**
 * The server-side request forgery guard: decides whether the driver may connect to a host, from the host name and
 * the addresses it resolves to. Deny rules win: a host is refused when a deny rule names it or covers any of its
 * addresses. With allow rules, a host is accepted only when an allow rule names it or every one of its addresses is
 * covered by an allow rule. Without rules every host is accepted and nothing is resolved.
 */
final class HostGuard {
    private final List<HostRule> allow;
    private final List<HostRule> deny;
    private final boolean resolves;

    HostGuard(List<HostRule> allow, List<HostRule> deny) {
        this.allow = List.copyOf(requireNonNull(allow, "allow is null"));
        this.deny = List.copyOf(requireNonNull(deny, "deny is null"));
        this.resolves = this.allow.stream().anyMatch(HostRule::isAddressRule)
                || this.deny.stream().anyMatch(HostRule::isAddressRule);
    }

    static HostGuard none() {
        return new HostGuard(List.of(), List.of());
    }

    boolean active() {
        return !allow.isEmpty() || !deny.isEmpty();
    }

    /**
     * Why the host may not be used, or empty when it may.
     *
     * @throws UnknownHostException when address rules apply and the name does not resolve
     */
    Optional<String> refusal(String uriHost) throws UnknownHostException {
        if (!active()) {
            return Optional.empty();
        }
        String host = HostRule.normalHost(uriHost);
        for (HostRule rule : deny) {
            if (rule.matchesName(host)) {
                return Optional.of("host " + host + " is denied by deny-hosts entry '" + rule.text() + "'");
            }
        }
        InetAddress[] addresses = resolves ? InetAddress.getAllByName(host) : new InetAddress[0];
        for (InetAddress address : addresses) {
            for (HostRule rule : deny) {
                if (rule.matchesAddress(address)) {
                    return Optional.of("host " + host + " resolves to " + address.getHostAddress()
                            + ", which is denied by deny-hosts entry '" + rule.text() + "'");
                }
            }
        }
        if (allow.isEmpty() || allow.stream().anyMatch(rule -> rule.matchesName(host))) {
            return Optional.empty();
        }
        boolean addressRules = allow.stream().anyMatch(HostRule::isAddressRule);
        if (addressRules && addresses.length > 0) {
            List<InetAddress> outside = Arrays.stream(addresses)
                    .filter(address -> allow.stream().noneMatch(rule -> rule.matchesAddress(address))).toList();
            if (outside.isEmpty()) {
                return Optional.empty();
            }
            return Optional.of("host " + host + " resolves to " + outside.stream().map(InetAddress::getHostAddress)
                    .collect(Collectors.joining(", ")) + ", not covered by allow-hosts");
        }
        return Optional.of("host " + host + " is not in allow-hosts");
    }
}
