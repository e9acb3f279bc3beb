// Checks the user project's two builds (invoker.properties) from their outcome, output and reports.
def log = new File(basedir, 'build.log').text
def reports = new File(basedir, 'target/surefire-reports')

def check(boolean ok, String what) {
    if (!ok) {
        throw new AssertionError(what)
    }
}

// 1. Mixed Netty lines: one clear message, and no second error piled on top of it.
check(log.contains('Leakproof supports Netty 4.1 (4.1.100.Final or newer) and 4.2; found '),
        'the mixed-Netty build names the supported versions')
check(log.contains("netty-codec ${mixedNettyVersion}") && log.contains("netty-common ${nettyVersion}"),
        'the mixed-Netty message names each artifact with its version')
check(!log.contains('has no session'), 'no second, misleading error after the failed set-up')

// 2. The leak suite: the leaky server fails with the leak, the fixed one passes.
def leaky = new File(reports, 'TEST-com.example.greeting.LeakyGreetingServerLeakTests.xml').text
def fixed = new File(reports, 'TEST-com.example.greeting.GreetingServerLeakTests.xml').text
check(leaky.contains('tests="1"') && leaky.contains('failures="1"'), 'the leaky test failed')
check((leaky =~ /100 of 100 connections leaked: [^\n]*100 x GreetingSession/).find(), 'the leaky test names what leaked, how many of how many')
check(leaky.contains('static LeakyGreetingServerLeakTests.ONLINE'), 'the leaky test names the path that holds it')
check(fixed.contains('tests="1"') && fixed.contains('failures="0"') && fixed.contains('errors="0"'), 'the fixed test passed')
check(log.contains('Tests run: 2, Failures: 1, Errors: 0, Skipped: 0'), 'Maven reports one failure of two tests')
check(log.contains('BUILD FAILURE'), 'the leak fails the build')

// Where people look. Surefire drops JUnit report entries (its XML has no place for them), so the user project
// turns on JUnit's Open Test Reporting XML, which keeps them; then the class pages and the run's index.
def openTestReports = []
new File(basedir, 'target/junit-platform-reports').eachFileRecurse { if (it.name.endsWith('.xml')) openTestReports << it }
check(!openTestReports.isEmpty(), 'JUnit wrote its Open Test Reporting XML')
def events = openTestReports.collect { it.text }.join('\n')
check(events.contains('leakproof.verdict') && events.contains('leak found') && events.contains('leakproof.leakedConnections'),
        'the verdicts are in the Open Test Reporting XML as report entries')
def leakReports = new File(basedir, 'target/leak-reports')
['index.html', 'index.json', 'com.example.greeting.GreetingServerLeakTests.html',
 'com.example.greeting.LeakyGreetingServerLeakTests.html'].each {
    check(new File(leakReports, it).isFile(), "target/leak-reports/$it written")
}
def index = new File(leakReports, 'index.json').text
check(index.indexOf('LeakyGreetingServerLeakTests') < index.indexOf('"com.example.greeting.GreetingServerLeakTests"'),
        'the index lists the leak first')

// Where people look, with Surefire's defaults: each verdict is one line of the test's output, which Surefire
// prints to the console and keeps in the test's <system-out> in its XML; the reports are readable by all.
check((fixed =~ /Leakproof: [^\n]*: pass, 100 connections judged, 0 leaked, verdict in \d+ ms, report [^\n]*GreetingServerLeakTests\.html/).find(),
        "the fixed test's verdict line is in Surefire's XML")
check((leaky =~ /Leakproof: [^\n]*: leak found, 100 connections judged, 100 leaked, verdict in \d+ ms/).find(),
        "the leaky test's verdict line is in Surefire's XML")
check((log =~ /Leakproof: [^\n]*: leak found, 100 connections judged, 100 leaked/).find(), 'the verdict line is on the console')
['index.html', 'index.json', 'com.example.greeting.GreetingServerLeakTests.html', 'com.example.greeting.GreetingServerLeakTests.json'].each {
    def permissions = java.nio.file.attribute.PosixFilePermissions.toString(
            java.nio.file.Files.getPosixFilePermissions(new File(leakReports, it).toPath()))
    check(permissions == 'rw-r--r--', "target/leak-reports/$it is rw-r--r--, was $permissions")
}
return true
