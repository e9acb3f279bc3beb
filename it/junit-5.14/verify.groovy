// The project's own JUnit 5.14.1 and Netty 4.2.20.Final stay; the leak suite runs on them (../class-path-checks.groovy, ../greeting-checks.groovy).
expectedJUnit = '5.14.1'
expectedNetty = '4.2.20.Final'
expectedOkio = null
evaluate(new File(itDirectory, 'class-path-checks.groovy'))
evaluate(new File(itDirectory, 'greeting-checks.groovy'))
return true
