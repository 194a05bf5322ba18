package io.multikube.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class FlagParserTest {
    /** A command with one flag of each kind, recording what they set. */
    static class Sample implements Command {
        Integer port;
        Duration ttl;
        boolean verbose;
        String output;
        String sub;
        final List<String> files = new ArrayList<>();
        final List<String> schemes = new ArrayList<>();
        final Map<String, String> options = new LinkedHashMap<>();

        @Override
        public String name() {
            return "sample";
        }

        @Override
        public String summary() {
            return "A sample";
        }

        @Override
        public String description() {
            return "A sample. It has every kind of flag.";
        }

        @Override
        public List<Flag> flags() {
            return List.of(
                    Flag.value("--port", "PORT", "A port. Default: ${DEFAULT}.",
                            value -> port = Values.integer(value)).withDefault("8080"),
                    Flag.value("--ttl", "DURATION", "A lifetime.", value -> ttl = Values.duration(value)),
                    Flag.toggle("--verbose", "Says more.", value -> verbose = value),
                    Flag.value("--output", "FILE", "Where to write.", value -> output = value).withAlias("-o"),
                    Flag.repeated("--file", "FILE", "A file; repeatable.", files::add),
                    Flag.commaSeparated("--scheme", "SCHEME", "Schemes.", schemes::add).withDefault("https"),
                    Flag.keyValues("--option", "KEY=VALUE", "An option.", options),
                    Flag.value("--sub", "USER", "A user.", value -> sub = value));
        }

        @Override
        public int call() {
            return 0;
        }
    }

    private static Sample parse(String... args) {
        Sample sample = new Sample();
        assertThat(new FlagParser(sample).parse(List.of(args), FlagDefaults.NONE)).isEqualTo(FlagParser.Outcome.RUN);
        return sample;
    }

    @Test
    void valuesComeAfterAnEqualsSignOrAsTheNextArgument() {
        Sample sample = parse("--port=9443", "--ttl", "1h30m", "-o", "out.yaml");

        assertThat(sample.port).isEqualTo(9443);
        assertThat(sample.ttl).isEqualTo(Duration.ofMinutes(90));
        assertThat(sample.output).isEqualTo("out.yaml");
    }

    @Test
    void theNextArgumentIsAValueEvenWhenItStartsWithADash() {
        Sample sample = parse("--port", "-1", "--output", "-", "--sub", "--verbose");

        assertThat(sample.port).isEqualTo(-1);
        assertThat(sample.output).isEqualTo("-");
        assertThat(sample.sub).isEqualTo("--verbose");
        assertThat(sample.verbose).isFalse();
    }

    @Test
    void aFlagGivenTwiceKeepsTheLastValueAsKubernetesFlagsDo() {
        assertThat(parse("--port=1", "--port=2").port).isEqualTo(2);
    }

    @Test
    void switchesAreOnWhenNamedAndTakeAnExplicitTrueOrFalse() {
        assertThat(parse().verbose).isFalse();
        assertThat(parse("--verbose").verbose).isTrue();
        assertThat(parse("--verbose=false").verbose).isFalse();
        assertThatThrownBy(() -> parse("--verbose=yes"))
                .isInstanceOf(UsageException.class)
                .hasMessage("--verbose: \"yes\" (expected: true or false)");
    }

    @Test
    void repeatableFlagsCollectEveryValueAndCommaSeparatedOnesSplitThem() {
        Sample sample = parse("--file=a", "--file", "b", "--scheme=http,https", "--scheme", "h3");

        assertThat(sample.files).containsExactly("a", "b");
        assertThat(sample.schemes).containsExactly("http", "https", "h3");
    }

    @Test
    void keyValueFlagsFillTheirMapAndRefuseAPairWithoutKey() {
        assertThat(parse("--option", "url=https://a/b?c=d", "--option=x=").options)
                .containsExactly(Map.entry("url", "https://a/b?c=d"), Map.entry("x", ""));
        assertThatThrownBy(() -> parse("--option=novalue"))
                .hasMessage("--option: \"novalue\" (expected: KEY=VALUE)");
    }

    @Test
    void defaultsApplyOnlyToFlagsTheCommandLineDoesNotName() {
        Sample defaults = parse();
        assertThat(defaults.port).isEqualTo(8080);
        assertThat(defaults.schemes).containsExactly("https");
        assertThat(defaults.ttl).isNull();

        assertThat(parse("--scheme=http").schemes).as("the default is replaced, not added to")
                .containsExactly("http");
    }

    @Test
    void otherSourcesComeBeforeTheBuiltInDefaultAndAreNamedInErrors() {
        FlagDefaults environment = flag -> flag.name().equals("--port")
                ? Optional.of(new FlagDefaults.Sourced("SAMPLE_PORT", List.of("9000")))
                : flag.name().equals("--file")
                        ? Optional.of(new FlagDefaults.Sourced("sample.yaml: file", List.of("x", "y")))
                        : Optional.empty();
        Sample sample = new Sample();
        new FlagParser(sample).parse(List.of(), environment);
        assertThat(sample.port).isEqualTo(9000);
        assertThat(sample.files).containsExactly("x", "y");

        FlagDefaults broken = flag -> flag.name().equals("--port")
                ? Optional.of(new FlagDefaults.Sourced("SAMPLE_PORT", List.of("nine")))
                : Optional.empty();
        assertThatThrownBy(() -> new FlagParser(new Sample()).parse(List.of(), broken))
                .hasMessage("--port (from SAMPLE_PORT): \"nine\" (expected: a whole number)");
        FlagDefaults twoPorts = flag -> flag.name().equals("--port")
                ? Optional.of(new FlagDefaults.Sourced("sample.yaml: port", List.of("1", "2")))
                : Optional.empty();
        assertThatThrownBy(() -> new FlagParser(new Sample()).parse(List.of(), twoPorts))
                .hasMessage("--port (from sample.yaml: port): [1, 2] (expected: one value)");
    }

    @Test
    void aValueThatDoesNotConvertNamesTheFlagAndTheValue() {
        assertThatThrownBy(() -> parse("--port=http"))
                .isInstanceOf(UsageException.class)
                .hasMessage("--port: \"http\" (expected: a whole number)");
        assertThatThrownBy(() -> parse("--ttl=soon"))
                .hasMessage("--ttl: duration: \"soon\" (expected: e.g. 30s, 5m, 8h or 1h30m)");
    }

    @Test
    void anUnknownFlagIsRefusedWithTheClosestKnownName() {
        assertThatThrownBy(() -> parse("--prot=1")).isInstanceOf(UsageException.class)
                .hasMessage("unknown flag --prot (did you mean --port?)");
        assertThatThrownBy(() -> parse("--tls-signing-key=x"))
                .hasMessage("unknown flag --tls-signing-key (see multikube sample --help)");
    }

    @Test
    void strayArgumentsAndAMissingValueAreRefused() {
        assertThatThrownBy(() -> parse("get", "pods"))
                .hasMessage("unexpected argument \"get\" (sample takes flags only, such as --name=VALUE)");
        assertThatThrownBy(() -> parse("--port"))
                .hasMessage("--port needs a value (--port=PORT)");
    }

    @Test
    void aMissingRequiredFlagIsNamedWithWhatItIsFor() {
        class Needy extends Sample {
            @Override
            public List<Flag> flags() {
                return List.of(Flag.value("--sub", "USER", "The user the cluster will see. More text.",
                        value -> sub = value).mandatory());
            }
        }
        assertThatThrownBy(() -> new FlagParser(new Needy()).parse(List.of(), FlagDefaults.NONE))
                .hasMessage("missing --sub=USER: The user the cluster will see");
    }

    @Test
    void helpAndVersionAnywhereApplyNothing() {
        Sample sample = new Sample();
        FlagParser parser = new FlagParser(sample);

        assertThat(parser.parse(List.of("--port=1", "--help"), FlagDefaults.NONE)).isEqualTo(FlagParser.Outcome.HELP);
        assertThat(parser.parse(List.of("--nonsense", "-V"), FlagDefaults.NONE))
                .isEqualTo(FlagParser.Outcome.VERSION);
        assertThat(sample.port).isNull();
    }

    @Test
    void editDistanceCountsSingleCharacterEdits() {
        assertThat(FlagParser.editDistance("--tls-port", "--tls-prot")).isEqualTo(2);
        assertThat(FlagParser.editDistance("--port", "--port")).isZero();
        assertThat(FlagParser.editDistance("", "abc")).isEqualTo(3);
    }
}
