// Checks the Spring WebFlux project's two builds (invoker.properties) from their output and reports.
def log = new File(basedir, 'build.log').text
def reports = new File(basedir, 'target/surefire-reports')

def check(boolean ok, String what) {
    if (!ok) {
        throw new AssertionError(what)
    }
}

// The application's own Reactor Netty server, over TLS with the fixture's certificate.
check(log.contains('Netty started on port') && log.contains('(https)'), 'the WebFlux server served https')

// 1. The leaky filter: caught by growth per connection, with the path through the filter's list.
def leaky = new File(reports, 'TEST-com.example.shop.ExchangeKeepingFilterLeakTests.xml').text
check(leaky.contains('tests="1"') && leaky.contains('failures="1"'), 'the leaky test failed')
check(leaky.contains('dev.leakproof.ConnectionLeakError'), 'it failed with a ConnectionLeakError')
check(leaky.contains('Each connection of the driven run adds an entry to RecentExchangesFilter.recent ')
        && leaky.contains(' and leaves 1.00 x DefaultServerWebExchange'),
        'the message leads with the filter\'s list and the application\'s exchange, not Reactor Netty\'s classes')
check(leaky.contains('Owner: RecentExchangesFilter, in the project\'s own classes.'), 'the owner is the application\'s filter')
check(leaky.contains('(300 connections: a warm-up of '), 'the message says how many connections were driven')
check((leaky =~ /org\.springframework\.web\.server\.adapter\.DefaultServerWebExchange|DefaultServerWebExchange\.request/).find(),
        'the kept exchange is among what grows')
check(leaky.contains('RecentExchangesFilter.recent'), 'the reference path goes through the filter\'s list')
check(log.contains('Tests run: 1, Failures: 1, Errors: 0, Skipped: 0'), 'Maven reports the one failure')
check(log.contains('BUILD FAILURE'), 'the leak fails the build')

// 2. The fixed twin passes, its cycles spoke HTTP to the application.
def fixed = new File(reports, 'TEST-com.example.shop.CountingFilterTests.xml').text
check(fixed.contains('tests="1"') && fixed.contains('failures="0"') && fixed.contains('errors="0"'), 'the fixed test passed')
def fixedReport = new groovy.json.JsonSlurper().parse(new File(basedir, 'target/leak-reports/com.example.shop.CountingFilterTests.json'))
check(fixedReport.verdict == 'pass' && fixedReport.summary.connections == 300, 'the fixed test\'s verdict is pass, over 300 connections')
check(fixedReport.notes.any { it.startsWith('The driven cycles speak HTTP/1.1') }, 'the cycles sent HTTP requests')

// Spring Boot's BOM, not Leakproof's build, chose JUnit and Netty: the versions of Boot 3.5.7 are on the class path.
def classPath = (fixed =~ /name="surefire.test.class.path" value="([^"]*)"/)[0][1]
check(classPath.contains('junit-jupiter-engine-5.12.2.jar') && classPath.contains('junit-jupiter-api-5.12.2.jar'),
        'JUnit Jupiter 5.12.2 (Spring Boot 3.5.7) runs the tests')
check(classPath.contains('netty-common-4.1.128.Final.jar') && !classPath.contains('netty-common-4.2.'),
        'Netty 4.1.128.Final (Spring Boot 3.5.7) alone is on the class path')
return true
